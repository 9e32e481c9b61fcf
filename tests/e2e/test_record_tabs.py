"""The record's tabs in a real browser: htmx loads a tab into the page and puts its address in
the location bar; Back returns to the summary; without JavaScript the same link is a page."""

from __future__ import annotations

import re

import pytest

from clinic_portal.audit.models import AuditEvent
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def record_page(browser, live_server):
    contexts = []

    def open_page(javascript: bool = True):
        context = browser.new_context(
            base_url=live_server.url,
            java_script_enabled=javascript,
            viewport={"width": 1280, "height": 900},
        )
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def test_a_tab_loads_into_the_record_and_back_returns_to_the_summary(record_page, therapy, nurse):
    patient = therapy.patient
    page = record_page()
    log_in(page, nurse)
    page.goto(patient.get_absolute_url())
    banner = page.locator(".patient-banner")
    banner.evaluate("node => node.dataset.kept = 'yes'")  # only a full reload would lose it
    page.locator(".record-tabs").get_by_role("link", name="Checks and counts").click()
    page.get_by_role("heading", name="Neutrophil counts", exact=True).wait_for()
    assert page.url.endswith(f"/patients/{patient.uuid}/record/checks/")
    assert banner.evaluate("node => node.dataset.kept") == "yes"  # loaded into the page
    current = page.locator('.record-tabs [aria-current="page"]')
    assert current.inner_text() == "Checks and counts"
    page.go_back()
    page.get_by_role("heading", name="Overdue, due and next checks").wait_for()
    assert re.search(f"/patients/{patient.uuid}/$", page.url)
    assert AuditEvent.objects.filter(
        action="patient.view", patient_uuid=patient.uuid, detail={"tab": "checks"}
    ).exists()


def test_without_javascript_a_tab_is_a_page_of_its_own(record_page, therapy, clinician):
    patient = therapy.patient
    page = record_page(javascript=False)
    log_in(page, clinician)
    page.goto(patient.get_absolute_url())
    page.locator(".record-tabs").get_by_role("link", name="Timeline").click()
    page.get_by_role("heading", name="Timeline", exact=True).wait_for()
    assert page.url.endswith(f"/patients/{patient.uuid}/record/timeline/")
    assert page.locator(".patient-banner").count() == 1
