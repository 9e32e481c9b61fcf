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


def test_ctrl_c_stops_make_serve_cleanly_after_the_logins_are_printed_last(tmp_path):
    """In a real terminal (a pty): the demo logins box comes once the site answers, with the
    address on the chosen port, and Ctrl-C stops web, worker, beat and the HL7 listener with make exiting 0."""
    import pty
    import select
    import sys

    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE", "SITE_URL"}
    }
    env |= {
        "CLINIC_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_DEBUG": "1",
        "HL7_PORT": str(_free_port()),
    }
    for args in (["migrate", "--no-input"], ["seed_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
        )
    pid, terminal = pty.fork()
    if pid == 0:  # the child: make, in the pty's foreground, as a person would run it
        os.chdir(ROOT)
        os.execvpe("make", ["make", "--no-print-directory", "serve", f"PORT={port}"], env)
    output, pressed = b"", False
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([terminal], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(terminal, 65536)
                except OSError:  # the pty closes when make is gone
                    break
                if not chunk:
                    break
                output += chunk
            if not pressed and b"Ctrl-C stops" in output:
                time.sleep(1)
                os.write(terminal, b"\x03")  # what the Ctrl-C key sends
                pressed = True
        _, status = os.waitpid(pid, 0)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    text = output.decode(errors="replace")
    assert pressed, text
    box = text[text.index("┌") :]
    assert f"running at http://127.0.0.1:{port}/" in box
    assert "nurse@demo.clinic.invalid" in box
    assert os.waitstatus_to_exitcode(status) == 0, text
    assert "Interrupt" not in text and "Error" not in text and "Traceback" not in text, text
    assert "superuser privileges" not in text
    assert "SIGKILL" not in text, text
