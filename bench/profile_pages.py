"""Where one request of each main page spends its time: `python bench/profile_pages.py`.

Runs in-process against a seeded database (DATABASE_URL, e.g. after `bench/seed.py --patients
20000`), through the whole middleware stack with a logged-in session of the right role, and
prints for each page its queries, their SQL time and pyinstrument's call tree of one request
(a sample of requests after warm-up ones, so caches and connections are settled). `--page NAME` profiles one page;
`--html DIR` also writes pyinstrument's HTML reports.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_portal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from pyinstrument import Profiler  # noqa: E402


def pages(sessions: dict) -> dict[str, tuple[str, str | None]]:
    return {
        "healthz": ("/healthz", None),
        "floor": ("/accounts/password/change/", sessions["clinician"]),
        "record": (sessions["record"], sessions["clinician"]),
        "worklist": ("/followups/?tab=overdue", sessions["nurse"]),
        "patient list": ("/patients/", sessions["clinician"]),
        "search": (sessions["search"], sessions["clinician"]),
        "clinician home": ("/", sessions["clinician"]),
    }


def client_for(cookie: str | None) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    if cookie:
        name, value = cookie.split("=", 1)
        client.cookies[name] = value
    return client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", action="append", help="only these pages (repeatable)")
    parser.add_argument("--html", type=Path, help="write pyinstrument HTML reports here")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page")
    parser.add_argument("--profiled", type=int, default=20, help="profiled requests per page")
    parser.add_argument("--flat", action="store_true", help="functions by their own time")
    parser.add_argument("--queries", action="store_true", help="print each query's SQL")
    args = parser.parse_args()
    sessions = json.loads(
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "sessions.py")],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    for name, (path, cookie) in pages(sessions).items():
        if args.page and name not in args.page:
            continue
        client = client_for(cookie)
        for _ in range(5):
            assert client.get(path).status_code == 200, path
        timings, cpu = [], []
        for _ in range(args.repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        captured = list(queries.captured_queries)  # the next request clears Django's log
        profiler = Profiler(interval=0.001)
        profiler.start()
        for _ in range(args.profiled):
            client.get(path)
        profiler.stop()
        print(f"\n=== {name}: {path}")
        print(
            f"median {statistics.median(timings):.1f} ms ({statistics.median(cpu):.1f} ms of this "
            f"process's CPU) over {args.repeat} requests; "
            f"{len(captured)} queries ({sum(float(q['time']) for q in captured) * 1000:.0f} ms); {len(response.content):,} bytes; "
            f"profile of {args.profiled} requests:"
        )
        if args.queries:
            for query in captured:
                print(f"    {query['time']} {query['sql'][:150]}")
        print(profiler.output_text(unicode=True, color=False, show_all=False, flat=args.flat))
        if args.html:
            args.html.mkdir(parents=True, exist_ok=True)
            (args.html / f"{name.replace(' ', '-')}.html").write_text(profiler.output_html())


if __name__ == "__main__":
    main()
