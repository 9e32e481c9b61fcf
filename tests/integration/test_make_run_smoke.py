"""Starts the real ``make serve`` stack (web, worker, beat) and asks it for /healthz and login."""

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except OSError:
        return 0


def _stop(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def test_make_run_serves_healthz_and_the_login_page(tmp_path):
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"}
    }
    # The embedded defaults, in a private folder: SQLite and the filesystem broker.
    env |= {
        "CLINIC_VAR_DIR": str(tmp_path / "var"),
        "PORT": str(port),
        "HL7_PORT": str(_free_port()),
        "DJANGO_DEBUG": "1",
    }
    log = (tmp_path / "make-run.log").open("w")
    process = subprocess.Popen(
        ["make", "--no-print-directory", "run", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and _get(f"{base}/healthz") != 200:
            assert process.poll() is None, (tmp_path / "make-run.log").read_text()
            time.sleep(0.5)
        assert _get(f"{base}/healthz") == 200, (tmp_path / "make-run.log").read_text()
        assert _get(f"{base}/accounts/login/") == 200
    finally:
        _stop(process)
    output = (tmp_path / "make-run.log").read_text()
    assert "celery@" in output and "beat: Starting" in output, output
    assert "Listening for HL7 over MLLP" in output, output
