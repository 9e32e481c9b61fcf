"""Real parts for the reliability tests: a Redis the test starts and stops on a free port, a
Celery worker (with its beat) as a separate process that can be killed with SIGKILL, and an
aiosmtpd server that can be slow on purpose and counts what it received by Message-ID."""

from __future__ import annotations

import asyncio
import contextlib
import email
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from aiosmtpd.controller import Controller
from django.db import connection

CELERY = Path(sys.executable).with_name("celery")
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(predicate, timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


class RedisServer:
    """``redis-server`` on a free port, nothing persisted; ``stop`` and ``start`` again on the
    same port simulate an outage of the broker."""

    def __init__(self, workdir: Path):
        if shutil.which("redis-server") is None:
            raise RuntimeError("redis-server is needed for the reliability tests")
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if not wait_for(self._ping, 10):
            raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None
        wait_for(lambda: not self._ping(), 5)


class _Recorder:
    def __init__(self, delay: float, refuse: str):
        self.delay = delay
        self.refuse = refuse
        self.message_ids: list[str] = []
        self.recipients: list[str] = []
        self.sessions = 0
        self.lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        with self.lock:
            self.sessions += 1  # one EHLO per SMTP connection
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse and address.startswith(self.refuse):
            return "550 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content)
        with self.lock:
            self.message_ids.append(message.get("Message-ID", ""))
            self.recipients.extend(envelope.rcpt_tos)
        # Slow on purpose: the message is received, the answer is late.
        await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"


class SMTPSink:
    """An aiosmtpd server on a free port that records each message's Message-ID and counts the
    connections (EHLOs) it served. Recipients starting with ``refuse`` get a 550."""

    def __init__(self, delay: float = 0.0, refuse: str = ""):
        self.port = free_port()
        self.recorder = _Recorder(delay, refuse)
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}?tls=false&timeout=20"

    @property
    def message_ids(self) -> list[str]:
        with self.recorder.lock:
            return list(self.recorder.message_ids)

    @property
    def sessions(self) -> int:
        with self.recorder.lock:
            return self.recorder.sessions

    def counts(self) -> Counter:
        return Counter(self.message_ids)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.controller.stop()


class Worker:
    """``celery worker -B`` in its own process group, on the test database."""

    def __init__(self, workdir: Path, broker_url: str, email_url: str, **env: str):
        self.workdir = workdir
        self.env = {
            **os.environ,
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": _test_database_url(),
            "CELERY_BROKER_URL": broker_url,
            "EMAIL_URL": email_url,
            "CLINIC_VAR_DIR": str(workdir / "var"),
            **env,
        }
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self, concurrency: int = 2, beat: bool = True) -> None:
        self.starts += 1
        log = open(self.workdir / f"worker-{self.starts}.log", "wb")  # noqa: SIM115
        command = [
            str(CELERY),
            "-A",
            "clinic_portal",
            "worker",
            "--pool",
            "prefork",
            "-c",
            str(concurrency),
            "-l",
            "info",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"reliability{self.starts}-{os.getpid()}@%h",
        ]
        if beat:
            command += ["-B", "-s", str(self.workdir / f"beat-{self.starts}")]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill9(self) -> None:
        """SIGKILL the worker, its pool processes and its beat: nothing gets to clean up."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill9()
            self.process = None

    def log(self) -> str:
        return "\n".join(
            path.read_text(errors="replace")[-4000:]
            for path in sorted(self.workdir.glob("worker-*.log"))
        )


def _test_database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor != "postgresql":
        raise RuntimeError("the reliability tests run on PostgreSQL")
    user = settings.get("USER") or "postgres"
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


@contextlib.contextmanager
def this_process_publishes_to(broker_url: str):
    """Point the test process's own Celery app (the web side) at ``broker_url``."""
    from clinic_portal.celery import app

    saved = (
        app.conf.broker_url,
        app.conf.get("broker_write_url"),
        app.conf.task_always_eager,
    )
    saved_env = os.environ.get("CELERY_BROKER_URL")

    def reset_pools():
        app._pool = None
        app.amqp._producer_pool = None

    # Celery reads CELERY_BROKER_URL from the environment before its own configuration.
    os.environ["CELERY_BROKER_URL"] = broker_url
    app.conf.broker_url = app.conf.broker_write_url = broker_url
    app.conf.task_always_eager = False
    reset_pools()
    assert app.connection_for_write().as_uri().endswith(broker_url.split("@")[-1].split("//")[-1])
    try:
        yield app
    finally:
        # Only forget the pools: closing them would close kombu's shared producer pools too.
        app.conf.broker_url, app.conf.broker_write_url, app.conf.task_always_eager = saved
        if saved_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_env
        reset_pools()
