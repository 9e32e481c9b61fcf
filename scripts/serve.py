"""`make serve` (and the end of `make run`): the Procfile's web, worker, beat and HL7 listener under honcho.

Two things honcho alone does not do:

* Ctrl-C. The terminal sends it to every process in its foreground group, make included, and
  make then reports "*** Interrupt" and fails even though everything stopped as asked. Here
  honcho runs in its own process group that is made the terminal's foreground group, so only
  honcho and its processes get Ctrl-C; honcho stops them, this script gives the terminal back
  and exits 0, and make is content.
* The demo logins. seed_demo prints them before the processes start and their start-up logs
  scroll them away, so once the web process answers they are printed again, in a box.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STOPPED_BY_SIGNAL = {130, -signal.SIGINT, -signal.SIGTERM, 143}
# honcho kills whatever has not stopped 5 s after Ctrl-C; a Celery worker's warm shutdown can
# take longer on a busy machine, so it gets 20 s to finish what it is doing.
HONCHO = (
    "import honcho.manager, honcho.command; honcho.manager.KILL_WAIT = 20; honcho.command.main()"
)


def _print_logins_when_up(port: int, stop: threading.Event) -> None:
    url = f"http://127.0.0.1:{port}/healthz"
    while not stop.is_set():
        try:
            urllib.request.urlopen(url, timeout=2)
        except OSError as error:
            if getattr(error, "code", None) is None:  # no HTTP answer yet
                stop.wait(0.5)
                continue
        time.sleep(1.0)  # let the first log lines of the worker and beat go by
        if not stop.is_set():
            subprocess.run([sys.executable, "manage.py", "demo_logins"], cwd=ROOT, check=False)
        return


def _terminal() -> int | None:
    if not sys.stdin.isatty():
        return None
    try:
        return os.open("/dev/tty", os.O_RDWR)
    except OSError:
        return None


def _wait(process: subprocess.Popen) -> int:
    while True:
        try:
            return process.wait()
        except KeyboardInterrupt:  # Ctrl-C reached us too: honcho is stopping its processes
            continue


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--procfile", default="Procfile")
    args = parser.parse_args()
    command = [
        sys.executable,
        "-c",
        HONCHO,
        "--procfile",
        args.procfile,
        "start",
        "--port",
        str(args.port),
    ]
    stop = threading.Event()
    if os.environ.get("DJANGO_DEBUG", "").lower() in {"1", "true", "yes", "on"}:
        threading.Thread(target=_print_logins_when_up, args=(args.port, stop), daemon=True).start()

    tty = _terminal()
    if tty is None:  # no terminal (CI, a pipe): nothing to hand over
        honcho = subprocess.Popen(command, cwd=ROOT)
    else:
        signal.signal(signal.SIGTTOU, signal.SIG_IGN)  # allowed to hand the terminal over
        honcho = subprocess.Popen(command, cwd=ROOT, process_group=0)
        os.tcsetpgrp(tty, honcho.pid)
    try:
        code = _wait(honcho)
    finally:
        if tty is not None:
            os.tcsetpgrp(tty, os.getpgrp())
            os.close(tty)
    stop.set()
    return 0 if code in STOPPED_BY_SIGNAL else code


if __name__ == "__main__":
    sys.exit(main())
