"""Across processes: `python bench/cluster.py` (`make bench-cluster`).

Two gunicorn processes on different ports behind a local haproxy (Debian's package; installed
with apt-get when missing), on one scratch PostgreSQL database (``scalebench_cluster``). Checks
that what a user's next request depends on holds whichever process answers it: a session made
on one is valid on the other and through the balancer, and log-in failures spread over both
processes add up to one lockout, and a patient's reports sent to both count against one hourly
limit. Then measures the patient record through the balancer against
one process alone. The outbox claim across two worker processes is bench/outbox_rate.py's
"two workers" run (every reminder sent once). Writes its table into docs/performance.md.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.report import Verdict, record_targets, write_section
from bench.run import PG, PY, ROOT, free_port, sh, wrk

DB = "scalebench_cluster"
HAPROXY = """
global
    maxconn 256
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
frontend portal
    bind 127.0.0.1:{front}
    default_backend web
backend web
    balance roundrobin
    server a 127.0.0.1:{a}
    server b 127.0.0.1:{b}
"""


def need_haproxy() -> str:
    """The precondition: Debian's haproxy, installed when missing."""
    found = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin")
    if not found:
        print("bench/cluster.py needs haproxy; installing Debian's package with apt-get")
        subprocess.run(["apt-get", "install", "-y", "-qq", "haproxy"], check=True)
        found = shutil.which("haproxy", path="/usr/sbin:/usr/bin")
    return found


class Browser:
    """A cookie jar that posts the log-in form like a person would, to any base URL."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def get(self, url: str) -> tuple[int, str]:
        try:
            with self.opener.open(url, timeout=20) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def carry(self, cookie: str) -> Browser:
        """Start with a session made elsewhere (``name=value``), as a returning user would."""
        name, value = cookie.split("=", 1)
        self.jar.set_cookie(
            http.cookiejar.Cookie(
                0,
                name,
                value,
                None,
                False,
                "127.0.0.1",
                False,
                False,
                "/",
                True,
                False,
                None,
                False,
                None,
                None,
                {},
            )
        )
        return self

    def post_form(self, url: str, fields: dict[str, str]) -> tuple[int, str]:
        """Fetch the page, then submit its form with the rendered CSRF token and these fields."""
        _, page = self.get(url)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        request = urllib.request.Request(url, data=data, headers={"Referer": url})
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def log_in(self, base: str, email: str, password: str) -> int:
        _, page = self.get(f"{base}/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": email, "password": password}
        ).encode()
        request = urllib.request.Request(
            f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/accounts/login/"}
        )
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main() -> None:
    haproxy = need_haproxy()
    var = tempfile.mkdtemp(prefix="bench-cluster-")
    env = {k: v for k, v in os.environ.items() if k != "CELERY_BROKER_URL"}
    env |= {
        "DATABASE_URL": f"{PG}/{DB}",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_HTTPS": "0",
        "CLINIC_VAR_DIR": var,
        "EMAIL_URL": "dummy:",
        "LOG_LEVEL": "WARNING",
    }
    psql = ["psql", f"{PG}/postgres", "-qc"]
    subprocess.run([*psql, f"DROP DATABASE IF EXISTS {DB}"], check=True)
    subprocess.run([*psql, f"CREATE DATABASE {DB}"], check=True)
    processes: list[subprocess.Popen] = []
    try:
        sh(PY, "manage.py", "migrate", "--no-input", env=env)
        sh(PY, "manage.py", "collectstatic", "--no-input", env=env)
        sh(PY, "bench/seed.py", "--patients", "2000", env=env)
        sessions = json.loads(sh(PY, "bench/sessions.py", env=env))
        password = secrets.token_urlsafe(16)
        sh(
            PY,
            "manage.py",
            "shell",
            "-c",
            "from clinic_portal.accounts.models import User\n"
            f"for n in (1, 2): User.objects.create_user(email=f'cluster{{n}}@bench.invalid', "
            f"password='{password}', full_name='Cluster', role='nurse')",
            env=env,
        )
        ports = [free_port(), free_port()]
        for port in ports:
            processes.append(
                subprocess.Popen(
                    [
                        str(ROOT / ".venv/bin/gunicorn"),
                        "clinic_portal.wsgi",
                        "-w",
                        "1",
                        "-b",
                        f"127.0.0.1:{port}",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        front = free_port()
        config = Path(var) / "haproxy.cfg"
        config.write_text(HAPROXY.format(front=front, a=ports[0], b=ports[1]))
        processes.append(subprocess.Popen([haproxy, "-f", str(config)]))
        a, b, lb = (f"http://127.0.0.1:{p}" for p in (*ports, front))
        for base in (a, b, lb):
            for _ in range(60):
                try:
                    urllib.request.urlopen(f"{base}/healthz", timeout=2)
                    break
                except OSError:
                    time.sleep(0.5)
        checks = []

        # 1. A session made on one process is valid on the other: log in on A, read on B.
        browser = Browser()
        status = browser.log_in(a, "cluster1@bench.invalid", password)
        # Staff are sent to set up their second factor next: that page needs the session.
        on_b, _ = browser.get(f"{b}/accounts/mfa/setup/")
        stranger, _ = Browser().get(f"{b}/accounts/mfa/setup/")
        checks.append(
            (
                "log in on A; the next page on B; the same page on B without the session",
                status,
                on_b,
                stranger,
            )
        )

        # 2. Lockout: failures alternate between A and B; after the limit, the right password
        # is refused on either.
        attacker = Browser()
        for n in range(5):
            attacker.log_in((a, b)[n % 2], "cluster2@bench.invalid", "wrong password")
        locked_a = Browser().log_in(a, "cluster2@bench.invalid", password)
        locked_b = Browser().log_in(b, "cluster2@bench.invalid", password)
        checks.append(("5 failures over A and B, then the right password", locked_a, locked_b))

        # 3. The patient's reports per hour: sent alternately to A and B, they count together
        # (the count is of the patient's rows in PostgreSQL); the sixth is refused whichever
        # process takes it. (The seed dates its reports whole days back.)
        limit = 5  # CLINIC_CONCERNS_PER_HOUR's default
        patient = Browser().carry(sessions["patient"])
        answers = [
            patient.post_form(
                f"{(a, b)[n % 2]}/my/concerns/new/other/", {"message": f"Report {n} of the bench"}
            )
            for n in range(limit + 1)
        ]
        refused = "sent several reports in the last hour" in answers[-1][1]
        checks.append(
            (
                f"{limit + 1} patient reports over A and B: answers, and was the last refused",
                *sorted({status for status, _ in answers[:-1]}),
                answers[-1][0],
                "refused" if refused else "ACCEPTED",
            )
        )

        # 4. Through the balancer, a logged-in session reads the record on both processes.
        cookie = sessions["clinician"]
        statuses = set()
        for _ in range(10):
            request = urllib.request.Request(lb + sessions["record"], headers={"Cookie": cookie})
            with urllib.request.urlopen(request, timeout=20) as response:
                statuses.add(response.status)
        checks.append(("10 record reads through haproxy (both processes)", *sorted(statuses)))

        wrk(lb + sessions["record"], cookie, seconds="2")
        through = wrk(lb + sessions["record"], cookie)
        wrk(a + sessions["record"], cookie, seconds="2")
        alone = wrk(a + sessions["record"], cookie)
    finally:
        for process in processes:
            process.terminate()
            process.wait(20)
        subprocess.run([*psql, f"DROP DATABASE IF EXISTS {DB}"], check=False)

    ok = (
        checks[0][1:] == (302, 200, 302)
        and checks[1][1:] == (429, 429)
        and checks[2][1:] == (302, 400, "refused")
        and checks[3][1:] == (200,)
    )
    lines = [
        f"### Across processes ({time.strftime('%Y-%m-%d')}, `bench/cluster.py`)",
        "",
        "Two gunicorn processes (one sync worker each) on different ports behind haproxy "
        "(round robin), one PostgreSQL, 2,000 patients.",
        "",
        "| check | answers |",
        "|---|---|",
        *(f"| {name} | {', '.join(str(s) for s in answers)} |" for name, *answers in checks),
        "",
        "| patient record | req/s | p50 ms |",
        "|---|---|---|",
        f"| through haproxy, two processes | {through['rps']:.0f} | {through['p50']:.1f} |",
        f"| one process alone | {alone['rps']:.0f} | {alone['p50']:.1f} |",
        "",
        f"All checks as expected (302, 200, 302; 429 on both; five accepted, the sixth refused; 200): "
        f"{'yes' if ok else 'NO'}.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    write_section("cluster", text)
    record_targets(
        [
            Verdict(
                "cluster",
                "sessions, lockout and reports per hour checked over both processes: "
                + ("all as expected" if ok else "a check FAILED"),
                ok,
            )
        ]
    )
    if not ok:
        sys.exit("a check across processes failed")


if __name__ == "__main__":
    main()
