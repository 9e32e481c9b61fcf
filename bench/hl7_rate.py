"""How many lab results a second the MLLP listener takes, end to end, on PostgreSQL.

Creates a scratch database, seeds 200 patients, starts ``manage.py receive_lab_results`` on a
free port, sends ``BENCH_HL7_MESSAGES`` ORU^R01 messages (default 1,000) over 4 connections, each
waiting for its ACK as MLLP senders do, then checks that every message was stored and every
count filed. Rewrites the HL7 section of docs/performance.md. Part of ``make bench``.
"""

from __future__ import annotations

import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hl7.client import MLLPClient

from bench.report import write_section
from bench.run import PG, ROOT, free_port, sh

PY = sys.executable
MESSAGES = int(os.environ.get("BENCH_HL7_MESSAGES", "1000"))
CONNECTIONS = 4

MESSAGE = (
    "MSH|^~\\&|LABSYS|BENCH LAB|CLINIC_PORTAL|RIVERSIDE|{now}||ORU^R01^ORU_R01|{control}|P|2.5.1\r"
    "PID|1||{mrn}^^^RIVERSIDE^MR||Bench^Patient||{dob}\r"
    "OBR|1|P{n}|F{n}^BENCH LAB|57021-8^CBC^LN|||{now}\r"
    "OBX|1|NM|751-8^Neutrophils^LN||{value}|10*9/L|||||F|||{now}\r"
)


def patients(env) -> list[dict]:
    out = sh(
        PY,
        "manage.py",
        "shell",
        "-c",
        "import json; from patients.models import Patient;"
        "print(json.dumps([{'mrn': p.mrn, 'dob': p.date_of_birth.strftime('%Y%m%d')}"
        " for p in Patient.objects.all()[:200]]))",
        env=env,
    )
    return json.loads(out.strip().splitlines()[-1])


def send_all(port: int, texts: list[str]) -> list[float]:
    def connection(batch: list[str]) -> list[float]:
        times = []
        with MLLPClient("127.0.0.1", port) as client:
            for text in batch:
                started = time.perf_counter()
                answer = client.send_message(text)
                times.append(time.perf_counter() - started)
                if b"MSA|AA|" not in answer:
                    raise SystemExit(f"not accepted: {answer!r}")
        return times

    with ThreadPoolExecutor(CONNECTIONS) as pool:
        batches = [texts[i::CONNECTIONS] for i in range(CONNECTIONS)]
        return [t for times in pool.map(connection, batches) for t in times]


def measure() -> dict:
    db = "clinic_bench_hl7"
    env = {k: v for k, v in os.environ.items() if k != "CELERY_BROKER_URL"}
    env |= {
        "DATABASE_URL": f"{PG}/{db}",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "CLINIC_VAR_DIR": tempfile.mkdtemp(prefix="bench-hl7-"),
        "EMAIL_URL": "dummy:",
        "LOG_LEVEL": "WARNING",
        "CELERY_TASK_ALWAYS_EAGER": "1",
    }
    subprocess.run(["psql", f"{PG}/postgres", "-qc", f"DROP DATABASE IF EXISTS {db}"], check=True)
    subprocess.run(["psql", f"{PG}/postgres", "-qc", f"CREATE DATABASE {db}"], check=True)
    port = free_port()
    listener = None
    try:
        sh(PY, "manage.py", "migrate", "--no-input", env=env)
        sh(PY, "bench/seed.py", "--patients", "200", env=env)
        people = patients(env)
        now = time.strftime("%Y%m%d%H%M")
        texts = [
            MESSAGE.format(
                now=now,
                control=f"BENCH-{n:06d}",
                mrn=people[n % len(people)]["mrn"],
                dob=people[n % len(people)]["dob"],
                n=n,
                value="2.4" if n % 10 else "0.9",
            )
            for n in range(MESSAGES)
        ]
        listener = subprocess.Popen(
            [PY, "manage.py", "receive_lab_results", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert "Listening" in listener.stdout.readline()
        started = time.perf_counter()
        times = send_all(port, texts)
        elapsed = time.perf_counter() - started
        stored = sh(
            PY,
            "manage.py",
            "shell",
            "-c",
            "from interop.models import InboundMessage, LabResult;"
            "print(InboundMessage.objects.filter(outcome='AA').count(),"
            " LabResult.objects.filter(state='filed').count())",
            env=env,
        ).split()
    finally:
        if listener is not None:
            listener.terminate()
            listener.wait(timeout=20)
        subprocess.run(
            ["psql", f"{PG}/postgres", "-qc", f"DROP DATABASE IF EXISTS {db}"], check=False
        )
    times.sort()
    return {
        "messages": MESSAGES,
        "rate": MESSAGES / elapsed,
        "p50": statistics.median(times) * 1000,
        "p99": times[int(len(times) * 0.99) - 1] * 1000,
        "stored": int(stored[-2]),
        "filed": int(stored[-1]),
    }


def report(result: dict) -> str:
    return "\n".join(
        [
            f"## Lab results over MLLP ({time.strftime('%Y-%m-%d')}, `bench/hl7_rate.py`)",
            "",
            f"{result['messages']} ORU^R01 messages over {CONNECTIONS} connections, each sender "
            "waiting for its ACK, into `manage.py receive_lab_results` on PostgreSQL:",
            "",
            "| messages/s | ACK p50 ms | ACK p99 ms | stored (AA) | counts filed |",
            "|---|---|---|---|---|",
            f"| {result['rate']:.0f} | {result['p50']:.1f} | {result['p99']:.1f} | "
            f"{result['stored']} | {result['filed']} |",
            "",
        ]
    )


def main() -> None:
    result = measure()
    text = report(result)
    write_section("hl7", text)
    print(text)
    if result["stored"] != result["messages"] or result["filed"] != result["messages"]:
        raise SystemExit("messages were lost")


if __name__ == "__main__":
    main()
