"""Outbox throughput: `python bench/outbox_rate.py` (part of `make bench`).

How many reminders a second one Celery worker process sends through a local SMTP server
(aiosmtpd), then two, and whether 10,000 reminders queued on one morning leave within 5 minutes.
Starts its own redis-server on a free port (no other broker is touched), an aiosmtpd sink and a
scratch PostgreSQL database (``$BENCH_DB_PREFIX_outbox``, ``scalebench_outbox`` by default),
queues the reminders through ``notifications.services.queue_emails`` (one task per batch of
``CLINIC_OUTBOX_BATCH_SIZE`` rows, as the daily job does) and starts prefork workers of one
process each. The rate is taken from the rows' own ``sent_at`` stamps, first to last, so worker
start-up is not counted; the CPU time is the worker processes' own (parent and pool process),
from the first send to the last, per reminder. Writes its table into docs/performance.md.
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
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB = f"{os.environ.get('BENCH_DB_PREFIX', 'scalebench')}_outbox"
WORKDIR = Path(tempfile.mkdtemp(prefix="bench-outbox-"))

sys.path.insert(0, str(ROOT))
from bench.report import Verdict, record_targets, write_section  # noqa: E402

ENV = {
    "DATABASE_URL": f"{PG}/{DB}",
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "CLINIC_VAR_DIR": str(WORKDIR / "var"),
    "LOG_LEVEL": "WARNING",
    "DJANGO_SETTINGS_MODULE": "clinic_portal.settings",
}


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process and its children, from /proc."""
    total = 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except (FileNotFoundError, ProcessLookupError):
        return total
    return total + sum(_cpu_seconds(int(child)) for child in children)


def _psql(sql: str) -> None:
    subprocess.run(["psql", f"{PG}/postgres", "-qc", sql], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate-emails", type=int, default=1500, help="per rate measurement")
    parser.add_argument("--morning", type=int, default=10000, help="the one-morning batch")
    options = parser.parse_args()
    _psql(f"DROP DATABASE IF EXISTS {DB}")
    _psql(f"CREATE DATABASE {DB}")
    # The redis-server and SMTP helpers of the reliability tests, reused as they are.
    from tests.integration.reliability import CELERY, RedisServer, SMTPSink, wait_for

    redis = RedisServer(WORKDIR)
    redis.start()
    smtp = SMTPSink()
    smtp.start()
    ENV.update(CELERY_BROKER_URL=redis.url, EMAIL_URL=smtp.url)
    os.environ.update(ENV)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction
    from django.db.models import Max, Min

    from clinic_portal.notifications.models import OutboundEmail
    from clinic_portal.notifications.services import EmailSpec, queue_emails

    call_command("migrate", verbosity=0)
    workers: list[subprocess.Popen] = []

    def start_workers(count: int) -> None:
        for _ in range(count):
            log = open(WORKDIR / f"worker-{len(workers)}.log", "wb")  # noqa: SIM115
            workers.append(
                subprocess.Popen(
                    [
                        str(CELERY),
                        *("-A", "clinic_portal", "worker", "--pool", "prefork", "-c", "1"),
                        *("-l", "warning", "--without-gossip", "--without-mingle"),
                        *("-n", f"bench{len(workers)}-{os.getpid()}@%h"),
                    ],
                    cwd=ROOT,
                    env={**os.environ, **ENV},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )

    def stop_workers() -> None:
        while workers:
            process = workers.pop()
            process.terminate()
            process.wait(30)

    def run(label: str, emails: int, worker_count: int) -> dict:
        tag = f"{label}-{time.monotonic_ns()}"
        with transaction.atomic():
            queue_emails(
                [
                    EmailSpec(
                        dedupe_key=f"bench:{tag}:{n}",
                        purpose="reminder",
                        to_email=f"patient{n}@bench.invalid",
                        subject="Your blood test is due this week",
                        body="A reminder from the clinic: your neutrophil count is due.\n",
                    )
                    for n in range(emails)
                ]
            )
        rows = OutboundEmail.objects.filter(dedupe_key__startswith=f"bench:{tag}:")
        sent = rows.filter(status="sent")
        started = time.monotonic()
        start_workers(worker_count)
        wait_for(sent.exists, timeout=120, interval=0.05)
        cpu_before = sum(_cpu_seconds(worker.pid) for worker in workers)
        sent_before = sent.count()
        done = wait_for(lambda: sent.count() == emails, timeout=900, interval=1)
        wall = time.monotonic() - started
        cpu = sum(_cpu_seconds(worker.pid) for worker in workers) - cpu_before
        stop_workers()
        span = rows.aggregate(first=Min("sent_at"), last=Max("sent_at"))
        seconds = (span["last"] - span["first"]).total_seconds() if done else float("nan")
        return {
            "label": label,
            "emails": emails,
            "workers": worker_count,
            "seconds": seconds,
            "wall": wall,
            "rate": (emails - 1) / seconds if done and seconds else 0.0,
            "cpu_ms": 1000 * cpu / max(emails - sent_before, 1),
            "load": os.getloadavg()[0],
        }

    try:
        results = [
            run("one worker", options.rate_emails, 1),
            run("two workers", options.rate_emails, 2),
            run("one morning", options.morning, 2),
        ]
        sent = len(smtp.message_ids)
        duplicates = sum(c - 1 for c in smtp.counts().values() if c > 1)
    finally:
        stop_workers()
        smtp.stop()
        redis.stop()
        from django.db import connections

        connections.close_all()
        _psql(f"DROP DATABASE IF EXISTS {DB}")
    one, two, morning = results
    lines = [
        f"### Outbox throughput ({time.strftime('%Y-%m-%d')}, `bench/outbox_rate.py`)",
        "",
        "Reminders queued through `queue_emails` (one Celery task per batch of "
        f"{settings.CLINIC_OUTBOX_BATCH_SIZE}), sent by prefork workers of one process each to a "
        "local aiosmtpd server, on PostgreSQL and a private redis-server. Rate from the rows' "
        "`sent_at`, first to last; worker CPU is the worker processes' own CPU time over the "
        "same span, per reminder; load is the 1-minute load average at the end of the run.",
        "",
        "| run | reminders | worker processes | seconds (first to last send) | reminders/s "
        "| worker CPU ms per reminder | load |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['label']} | {r['emails']:,} | {r['workers']} | {r['seconds']:.1f} "
            f"| {r['rate']:.1f} | {r['cpu_ms']:.1f} | {r['load']:.1f} |"
        )
    lines += [
        "",
        f"Two workers send {two['rate'] / one['rate']:.2f}x what one does. "
        f"{morning['emails']:,} reminders left in {morning['wall']:.0f} s from the workers' start "
        f"(target: under 300 s: {'met' if morning['wall'] < 300 else 'NOT met'}). "
        f"Messages the SMTP server received: {sent:,}; the same Message-ID twice: {duplicates}.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    write_section("outbox", text)
    record_targets(
        [
            Verdict(
                "outbox_two_workers",
                f"{two['rate'] / one['rate']:.2f}x ({one['rate']:.1f} -> {two['rate']:.1f} "
                "reminders/s); the same Message-ID twice: "
                f"{duplicates}",
                two["rate"] / one["rate"] >= 1.8 and not duplicates,
            ),
            Verdict(
                "outbox_morning",
                f"{morning['emails']:,} in {morning['wall']:.0f} s",
                morning["wall"] < 300 and not duplicates,
            ),
        ]
    )


if __name__ == "__main__":
    main()
