"""`make screenshots`: a PNG of each main page of each role, from the demo data, for the README.

Starts the portal on a free port with a throwaway SQLite database, seeds the demo, logs in as
each demo user (staff with `demo_code`) in Debian's Chromium, and writes docs/screenshots/.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
PASSWORD = "demo-portal-2026"
DESKTOP, PHONE = {"width": 1280, "height": 860}, {"width": 390, "height": 844}
# (who, screen size, [(file name, path)]); {margaret} and {fever} are filled in from the demo.
TOUR = [
    (
        "clinician@demo.clinic.invalid",
        DESKTOP,
        [
            ("clinician-home", "/"),
            ("patient-record", "/patients/{margaret}/"),
            ("patient-versions", "/patients/{margaret}/history/"),
            ("patient-list", "/patients/"),
            ("screening-form", "/patients/{margaret}/screenings/new/"),
            ("education", "/education/"),
        ],
    ),
    (
        "nurse@demo.clinic.invalid",
        DESKTOP,
        [
            ("nurse-home", "/"),
            ("worklist", "/followups/?tab=week"),
            ("triage", "/concerns/{fever}/"),
        ],
    ),
    (
        "nurse@demo.clinic.invalid",
        PHONE,
        [
            ("nurse-home-phone", "/"),
            ("patient-record-phone", "/patients/{margaret}/"),
            ("neutrophil-chart-phone", "/patients/{margaret}/record/checks/#section-neutrophils"),
        ],
    ),
    (
        "margaret@demo.clinic.invalid",
        PHONE,
        [
            ("patient-home", "/"),
            ("patient-reading", "/my/materials/"),
            ("patient-report", "/my/concerns/new/fever/"),
            ("patient-diary", "/my/treatment/diary/"),
            ("patient-treatment", "/my/treatment/"),
        ],
    ),
]
DEMO_IDS = (
    "from patients.models import Patient; from portal.models import Concern; "
    "m = Patient.objects.get(mrn='DEMO0001'); "
    "print(m.uuid, Concern.objects.filter(patient=m, category='fever').first().uuid)"
)
# PDFs drawn as PNGs with poppler's pdftoppm (Debian: poppler-utils); the browser cannot show them.
PDFS = {"margaret@demo.clinic.invalid": [("kineret-card", "/my/treatment/card.pdf")]}


def pdf_to_png(context, url: str, name: str) -> None:
    if shutil.which("pdftoppm") is None:
        print(f"skipped docs/screenshots/{name}.png: install poppler-utils for pdftoppm")
        return
    response = context.request.get(url)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(response.body())
        pdf.flush()
        # Page one at 110 dpi, cropped to the card (the rest of the A4 page is blank).
        crop = ["-x", "0", "-y", "0", "-W", "910", "-H", "450"]
        options = ["-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", *crop]
        subprocess.run(
            ["pdftoppm", *options, pdf.name, str(OUT / name)],
            check=True,
        )
    print(f"wrote docs/screenshots/{name}.png")


def main() -> None:
    var = tempfile.mkdtemp(prefix="clinic-screens-")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env |= {"DJANGO_DEBUG": "1", "CLINIC_VAR_DIR": var, "CELERY_TASK_ALWAYS_EAGER": "1"}
    python = sys.executable

    def manage(*args: str) -> str:
        return subprocess.run(
            [python, "manage.py", *args],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    manage("migrate", "--no-input")
    manage("seed_demo")
    margaret, fever = manage("shell", "-c", DEMO_IDS).split()[-2:]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
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
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium"), args=ARGS
            )
            for email, viewport, pages in TOUR:
                staff = not email.startswith("margaret")
                context = browser.new_context(viewport=viewport)
                page = context.new_page()
                page.goto(f"{base}/accounts/login/")
                page.fill("#id_username", email)
                page.fill("#id_password", PASSWORD)
                page.get_by_role("button", name="Log in").click()
                page.wait_for_load_state()
                # A code works once: the same account's second log-in waits for the next one.
                for _ in range(3 if staff else 0):
                    page.fill("#id_code", manage("demo_code", email).strip())
                    page.get_by_role("button", name="Continue").click()
                    page.wait_for_load_state()
                    if page.locator("#id_code").count() == 0:
                        break
                    time.sleep(15)
                for name, path in pages:
                    page.goto(base + path.format(margaret=margaret, fever=fever))
                    target = OUT / f"{name}.png"
                    if "#" in path:  # one section of the page: picture just that section
                        anchor = "#" + path.split("#", 1)[1]
                        page.locator(f"section:has({anchor})").screenshot(path=str(target))
                    else:
                        page.screenshot(path=str(target), full_page=False)
                    print(f"wrote docs/screenshots/{name}.png")
                for name, path in PDFS.get(email, []):
                    pdf_to_png(context, base + path, name)
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
