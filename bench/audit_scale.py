"""The audit log's three per-patient reads at scale: `python bench/audit_scale.py --rows 50000000`.

Creates a scratch database (``scalebench_audit``; ``BENCH_DB_PREFIX`` changes the prefix), migrates it (the log is partitioned by month),
seeds patients and then ``--rows`` audit events over 96 months, generated inside PostgreSQL
(bench/seed.py, ``seed_audit``), and
times, on random patients, the queries behind "who saw my record" (its first page),
the clinic admin's CSV export of one patient for one month, and the patient timeline. Prints a
Markdown table and writes it into docs/performance.md between its markers. The database is
dropped at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.report import Verdict, record_targets, write_section  # noqa: E402

PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB = os.environ.get("BENCH_DB_PREFIX", "scalebench") + "_audit"

MEASURE = r"""
import datetime as dt, json, random, statistics, time
from clinic_portal.audit.selectors import newest_first
from clinic_portal.core.pagination import paginate_newest
from clinic_portal.audit.export import csv_rows, events_between
from clinic_portal.audit.models import AuditEvent
from patients.models import Patient
from patients.selectors import timeline

rng = random.Random(11)
patients = list(Patient.objects.order_by("?")[:40])
month_start = dt.date.today().replace(day=1) - dt.timedelta(days=200)
month_start = month_start.replace(day=1)
month_end = (month_start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)

def who_saw(p):
    # The query of portal.views_patient.access_log: staff reads of one record, 50 a page.
    reads = (AuditEvent.objects.for_patient(p.uuid).reads().exclude(actor=p.user_id).exclude(actor_role="patient")
             .only("occurred_at", "actor_role", "action").order_by("-occurred_at", "-id"))
    # The portal's pager for logs: newest months first, stop at the page, no count.
    page = paginate_newest(lambda offset, limit: newest_first(reads, limit, offset), None, 50)
    return len(page)

def export(p):
    return sum(1 for _ in csv_rows(events_between(month_start, month_end, p.uuid)))

def tl(p):
    return len(timeline(p))

out = {}
for name, fn in (("who saw my record (page 1)", who_saw),
                 ("export: one patient, one month", export),
                 ("patient timeline", tl)):
    for p in patients[:5]:
        fn(p)  # warm
    times, sizes = [], []
    for p in patients:
        t = time.perf_counter(); sizes.append(fn(p)); times.append((time.perf_counter() - t) * 1000)
    times.sort()
    out[name] = {"p50": statistics.median(times), "p95": times[int(len(times) * 0.95) - 1],
                 "rows": statistics.median(sizes)}
print("RESULT " + json.dumps(out))
"""


def run(*args, env):
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--patients", type=int, default=20000)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    options = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "CELERY_BROKER_URL"}
    env |= {
        "DATABASE_URL": f"{PG}/{DB}",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "CLINIC_VAR_DIR": tempfile.mkdtemp(prefix="bench-"),
        "EMAIL_URL": "dummy:",
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run(["psql", f"{PG}/postgres", "-qc", f"DROP DATABASE IF EXISTS {DB}"], check=True)
    subprocess.run(["psql", f"{PG}/postgres", "-qc", f"CREATE DATABASE {DB}"], check=True)
    try:
        run(sys.executable, "manage.py", "migrate", "--no-input", env=env)
        started = time.monotonic()
        seeding = run(
            sys.executable,
            "bench/seed.py",
            "--patients",
            str(options.patients),
            "--audit-rows",
            str(options.rows),
            env=env,
        )
        seeded = time.monotonic() - started
        audit_line = [
            line for line in seeding.stdout.splitlines() if line.startswith("audit events:")
        ]
        audit_seconds = audit_line[-1].split(" in ")[-1].split(" s")[0] if audit_line else "?"
        size = subprocess.run(
            [
                "psql",
                f"{PG}/{DB}",
                "-Atc",
                "SELECT pg_size_pretty(pg_database_size(current_database()))",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        load = "{:.1f}, {:.1f}, {:.1f}".format(*os.getloadavg())
        out = run(sys.executable, "manage.py", "shell", "-c", MEASURE, env=env).stdout
    finally:
        if not options.keep:
            subprocess.run(
                ["psql", f"{PG}/postgres", "-qc", f"DROP DATABASE IF EXISTS {DB}"], check=False
            )
    import json

    result = json.loads(out.split("RESULT ", 1)[1])
    lines = [
        f"### Audit log at {options.rows:,} rows ({time.strftime('%Y-%m-%d')})",
        "",
        f"`bench/audit_scale.py --rows {options.rows}`: {options.patients:,} patients, the rows spread "
        f"over 96 monthly partitions; seeding (patients, then the events made in PostgreSQL, indexes "
        f"built after the load, VACUUM) took {seeded:.0f} s, of which the audit events "
        f"{audit_seconds} s; database {size}. Timed in-process through the portal's own code on "
        f"40 random patients, after 5 warm-up calls; load average {load} when timing began.",
        "",
        "| query | p50 ms | p95 ms | rows (median) | target |",
        "|---|---|---|---|---|",
    ]
    for name, r in result.items():
        verdict = "met" if r["p50"] < 50 else f"NOT met ({r['p50'] / 50:.1f}x)"
        lines.append(
            f"| {name} | {r['p50']:.1f} | {r['p95']:.1f} | {r['rows']:.0f} | < 50 ms p50: {verdict} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    write_section("audit-scale" if options.rows >= 10_000_000 else "audit-quick", text)
    if options.rows >= 50_000_000:  # issue 21's targets are at 50 million rows
        keys = dict(zip(result, ("audit_who_saw", "audit_export", "audit_timeline"), strict=True))
        record_targets(
            [
                Verdict(
                    keys[name], f"{r['p50']:.1f} ms p50 at {options.rows:,} rows", r["p50"] < 50
                )
                for name, r in result.items()
            ]
        )


if __name__ == "__main__":
    main()
