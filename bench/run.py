"""`make bench`: request rates and latencies of the main pages at 200 and 20,000 patients, and
the daily job's time, on PostgreSQL with gunicorn (2 sync workers) and wrk on loopback.

Writes docs/performance.md. Needs PostgreSQL on 127.0.0.1 (a scratch database is created and
dropped) and Debian's wrk. Every wrk run is bounded (a few seconds).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.report import Verdict, record_targets, write_section  # noqa: E402

PY = sys.executable
SCALES = [int(s) for s in os.environ.get("BENCH_SCALES", "200,20000").split(",")]
DURATION = os.environ.get("BENCH_SECONDS", "8")
WARM_UP = "2"  # seconds of wrk before each measured run, discarded: caches and plans settle
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
# Scratch databases are named <prefix>_<patients>; a distinct prefix lets two people bench at once.
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "scalebench")
FLOOR, HEALTHZ = "logged-in floor: password form", "/healthz (baseline)"
# Issue 21's page targets at the larger scale, each a share of another page's req/s in the same
# run: (page, measured against, at least).
SHARE_TARGETS = [
    ("record_share", "patient record", FLOOR, 0.40),
    ("worklist_share", "worklist: overdue", FLOOR, 0.40),
    ("list_share", "patient list", FLOOR, 0.40),
    ("floor_share", FLOOR, HEALTHZ, 0.35),
]
# The search's p50 at the larger scale against its p50 at the smaller one: at most this.
SEARCH_RATIO_TARGET = 1.3
# --scale (20,000 and 200,000 patients): every page's p50 at most this multiple of its p50 at
# 20,000, and seeding and the daily job under these seconds.
PAGE_RATIO_AT_SCALE = 1.5
SEED_SECONDS_AT_SCALE = 600
DAILY_JOB_SECONDS_AT_SCALE = 30
# The layout docs/performance.md recommends: the cache (and with it a copy of each session) in
# a shared Redis. Used when it answers; BENCH_CACHE_URL="" benches without it (sessions in
# PostgreSQL only, each process its own cache).
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/15")


def redis_answers(url: str) -> bool:
    if not url:
        return False
    host_port = url.split("//", 1)[1].split("/", 1)[0]
    host, _, port = host_port.rpartition(":")
    try:
        with socket.create_connection((host or "127.0.0.1", int(port or 6379)), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def sh(*args, env=None, capture=True) -> str:
    return subprocess.run(
        args, cwd=ROOT, env=env, check=True, capture_output=capture, text=True
    ).stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wrk(url: str, cookie: str | None, seconds: str = DURATION) -> dict:
    args = ["wrk", "-t2", "-c8", f"-d{seconds}s", "--latency", url]
    if cookie:
        args[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(args, capture_output=True, text=True, check=True, timeout=120).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def ms(label: str) -> float:
        value, unit = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p50": ms("50"),
        "p99": ms("99"),
        "errors": int(non2xx.group(1)) if non2xx else 0,
    }


def measure(scale: int) -> dict:
    db = f"{DB_PREFIX}_{scale}"
    var = tempfile.mkdtemp(prefix="bench-")
    env = {k: v for k, v in os.environ.items() if k != "CELERY_BROKER_URL"}
    env |= {
        "DATABASE_URL": f"{PG}/{db}",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_HTTPS": "0",
        "CLINIC_VAR_DIR": var,
        "EMAIL_URL": "dummy:",
        "LOG_LEVEL": "WARNING",
    }
    if redis_answers(CACHE_URL):
        env["CLINIC_CACHE_URL"] = CACHE_URL
    subprocess.run(["psql", f"{PG}/postgres", "-qc", f"DROP DATABASE IF EXISTS {db}"], check=True)
    subprocess.run(["psql", f"{PG}/postgres", "-qc", f"CREATE DATABASE {db}"], check=True)
    sh(PY, "manage.py", "migrate", "--no-input", env=env)
    sh(PY, "manage.py", "collectstatic", "--no-input", env=env)
    started = time.monotonic()
    sh(PY, "bench/seed.py", "--patients", str(scale), env=env)
    seed_seconds = time.monotonic() - started
    job = sh(
        PY,
        "manage.py",
        "shell",
        "-c",
        "import time; from clinic_portal.core.clock import clinic_today; from followups.daily import run_daily;"
        "t=time.monotonic(); run_daily(clinic_today(), dry_run=True); print(round(time.monotonic()-t, 2))",
        env=env,
    )
    sessions = json.loads(sh(PY, "bench/sessions.py", env=env))
    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "clinic_portal.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        pages = {
            "/healthz (baseline)": ("/healthz", None),
            # No patient data: what session, user, second factor, middleware and a base-template
            # render cost on their own. Every page below pays this first.
            "logged-in floor: password form": ("/accounts/password/change/", sessions["clinician"]),
            "worklist: overdue": ("/followups/?tab=overdue", sessions["nurse"]),
            "worklist: this week": ("/followups/?tab=week", sessions["nurse"]),
            "worklist: upcoming": ("/followups/?tab=upcoming", sessions["nurse"]),
            "worklist: completed": ("/followups/?tab=completed", sessions["nurse"]),
            "patient list": ("/patients/", sessions["clinician"]),
            "patient search": (sessions["search"], sessions["clinician"]),
            "patient record": (sessions["record"], sessions["clinician"]),
            "screening result": (sessions["screening"], sessions["clinician"]),
            "clinician home": ("/", sessions["clinician"]),
            "patient portal home": ("/", sessions["patient"]),
            "education library": ("/my/materials/", sessions["patient"]),
        }
        results = {}
        load_before = os.getloadavg()[0]
        for name, (path, cookie) in pages.items():
            wrk(base + path, cookie, seconds=WARM_UP)
            results[name] = wrk(base + path, cookie)
        load = (load_before, os.getloadavg()[0])
    finally:
        server.terminate()
        server.wait(timeout=20)
        subprocess.run(
            ["psql", f"{PG}/postgres", "-qc", f"DROP DATABASE IF EXISTS {db}"], check=False
        )
    return {
        "pages": results,
        "seed_seconds": round(seed_seconds, 1),
        "daily_job_seconds": float(job.strip().splitlines()[-1]),
        "load": load,
        "cache": "CLINIC_CACHE_URL" in env,
    }


def report(runs: dict[int, dict], scale: bool = False) -> tuple[str, list[Verdict]]:
    small, large = min(runs), max(runs)
    lines = [
        f"### `bench/run.py --scale` ({time.strftime('%Y-%m-%d')}): {small:,} and {large:,} patients"
        if scale
        else f"## Latest `make bench` ({time.strftime('%Y-%m-%d')})",
        "",
        f"Measured by `bench/run.py{' --scale' if scale else ''}` on this 2-core machine: PostgreSQL, gunicorn with 2 sync workers, wrk "
        f"(2 threads, 8 connections, {DURATION} s per page after a {WARM_UP} s warm-up) on loopback, logged-in sessions of the right role; "
        + (
            "the cache and a copy of each session in Redis (`CLINIC_CACHE_URL`)."
            if all(run.get("cache") for run in runs.values())
            else "no Redis cache (sessions in PostgreSQL only, each process its own cache)."
        ),
        "",
        f"| page | req/s at {small} | p50 ms | p99 ms | req/s at {large} | p50 ms | p99 ms | p50 ratio | share of /healthz req/s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    base_rps = runs[large]["pages"]["/healthz (baseline)"]["rps"]
    for name in runs[small]["pages"]:
        a, b = runs[small]["pages"][name], runs[large]["pages"][name]
        ratio = b["p50"] / a["p50"] if a["p50"] else float("nan")
        lines.append(
            f"| {name} | {a['rps']:.0f} | {a['p50']:.1f} | {a['p99']:.1f} | {b['rps']:.0f} | {b['p50']:.1f} | "
            f"{b['p99']:.1f} | {ratio:.2f} | {b['rps'] / base_rps:.0%} |"
        )
    lines += [
        "",
        "| scale | seeding (s) | daily job, dry run (s) | load average (1 min) before and after the pages |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {scale} | {run['seed_seconds']} | {run['daily_job_seconds']} | "
        f"{run['load'][0]:.1f}, {run['load'][1]:.1f} |"
        for scale, run in runs.items()
    ]
    table, verdicts = scale_targets(runs) if scale else targets(runs)
    lines += ["", *table]
    errors = {
        f"{scale}: {name}": r["errors"]
        for scale, run in runs.items()
        for name, r in run["pages"].items()
        if r["errors"]
    }
    lines += ["", f"Non-2xx answers during the runs: {errors or 'none'}.", ""]
    return "\n".join(lines), verdicts


def targets(runs: dict[int, dict]) -> tuple[list[str], list[Verdict]]:
    """Issue 21's targets, each measured within this run, met or missed and by how much."""
    small, large = min(runs), max(runs)
    pages = runs[large]["pages"]
    lines = [
        f"Issue 21's targets, measured in this run at {large} patients:",
        "",
        "| target | measured | met? |",
        "|---|---|---|",
    ]
    found = []
    for key, page, against, share in SHARE_TARGETS:
        got = pages[page]["rps"] / pages[against]["rps"]
        verdict = "met" if got >= share else f"**missed** (needs {share / got:.2f}x its req/s)"
        measured = f"{got:.0%} ({pages[page]['rps']:.0f} / {pages[against]['rps']:.0f} req/s)"
        lines.append(f"| {page} >= {share:.0%} of {against} | {measured} | {verdict} |")
        found.append(Verdict(key, measured, got >= share))
    search_small = runs[small]["pages"]["patient search"]["p50"]
    search_large = pages["patient search"]["p50"]
    ratio = search_large / search_small
    verdict = (
        "met"
        if ratio <= SEARCH_RATIO_TARGET
        else f"**missed** by {ratio / SEARCH_RATIO_TARGET:.2f}x"
    )
    lines.append(
        f"| search p50 at {large} <= {SEARCH_RATIO_TARGET}x its p50 at {small} | {ratio:.2f}x "
        f"({search_large:.1f} / {search_small:.1f} ms) | {verdict} |"
    )
    measured = f"{ratio:.2f}x ({search_large:.1f} / {search_small:.1f} ms)"
    found.append(Verdict("search_ratio", measured, ratio <= SEARCH_RATIO_TARGET))
    return lines, found


def scale_targets(runs: dict[int, dict]) -> tuple[list[str], list[Verdict]]:
    """Issue 21's targets at the larger scale: each page's p50 within PAGE_RATIO_AT_SCALE of
    its p50 at the smaller one, seeding and the daily job under their limits."""
    small, large = min(runs), max(runs)
    lines = [
        f"Issue 21's targets at {large} patients, measured in this run:",
        "",
        "| target | measured | met? |",
        "|---|---|---|",
    ]
    ratios = {
        name: runs[large]["pages"][name]["p50"] / runs[small]["pages"][name]["p50"]
        for name in runs[small]["pages"]
        if name != HEALTHZ and runs[small]["pages"][name]["p50"]
    }
    over = {name: ratio for name, ratio in ratios.items() if ratio > PAGE_RATIO_AT_SCALE}
    spread = f"{min(ratios.values()):.2f}x to {max(ratios.values()):.2f}x"
    found = [
        Verdict(
            "pages_200k",
            spread + "".join(f"; {name} {r:.2f}x" for name, r in over.items()),
            not over,
        )
    ]
    lines.append(
        f"| every page's p50 at {large} <= {PAGE_RATIO_AT_SCALE}x its p50 at {small} | "
        f"{spread} | "
        + (
            "met"
            if not over
            else "**missed** by " + ", ".join(f"{name} ({r:.2f}x)" for name, r in over.items())
        )
        + " |"
    )
    for target, label, key, limit in [
        ("seed_200k", f"seeding {large} patients", "seed_seconds", SEED_SECONDS_AT_SCALE),
        (
            "daily_job_200k",
            f"the daily job at {large}, dry run",
            "daily_job_seconds",
            DAILY_JOB_SECONDS_AT_SCALE,
        ),
    ]:
        got = runs[large][key]
        verdict = "met" if got < limit else f"**missed** by {got / limit:.2f}x"
        lines.append(f"| {label} < {limit} s | {got} s | {verdict} |")
        found.append(Verdict(target, f"{got} s", got < limit))
    return lines, found


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale",
        action="store_true",
        help="20,000 and 200,000 patients instead of 200 and 20,000 (long: seeding 200,000 "
        "takes minutes)",
    )
    at_scale = parser.parse_args().scale
    scales = [20000, 200000] if at_scale else SCALES
    runs = {}
    for scale in scales:
        runs[scale] = measure(scale)
        print(json.dumps({scale: runs[scale]}), flush=True)  # kept if a later scale fails
    text, verdicts = report(runs, scale=at_scale)
    # The quick run and the run at scale each own their section of the page.
    write_section("scale" if at_scale else "pages", text)
    record_targets(verdicts)
    print(text)


if __name__ == "__main__":
    main()
