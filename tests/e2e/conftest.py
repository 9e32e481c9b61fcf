"""Browser tests: Debian's Chromium driven by Playwright, against pytest-django's live server.

Without Chromium the browser tests are skipped locally with a message, and fail in CI.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
RESULTS = Path(__file__).resolve().parents[2] / "test-results"

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body
# are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "tests/e2e/" in str(item.fspath)]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if CHROMIUM or not browser_items:
        return
    if os.environ.get("CI"):
        raise pytest.UsageError("CI needs Chromium for the browser tests: apt-get install chromium")
    skip = pytest.mark.skip(reason="Chromium is not installed (apt-get install chromium)")
    for item in browser_items:
        item.add_marker(skip)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def live_server(django_db_setup, django_db_blocker):
    """pytest-django's live server, but set up after (so torn down before) the test database:
    otherwise its thread still holds a connection when the database is dropped."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer(os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def starter_library(request):
    """Browser tests run in transactions that end in a flush, which also removes the pages the
    data migration loaded; put them back for each test that uses the database."""
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        from tests.support.starter_library import load_starter_library

        request.getfixturevalue("transactional_db")
        load_starter_library()


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        RESULTS.mkdir(exist_ok=True)
        stem = request.node.name.replace("/", "_")
        page.screenshot(path=str(RESULTS / f"{stem}.png"), full_page=True)
        (RESULTS / f"{stem}.html").write_text(page.content())
    context.close()
    # Playwright's sync API runs the test inside a greenlet, where Django's connection handler
    # sees a context of its own; close that connection here or it outlives the test database.
    connections.close_all()
