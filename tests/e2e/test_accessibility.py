"""axe-core (installed from npm by make install) on the main pages of each role: no serious or
critical violations. Forms are checked for labels tied to inputs by the same rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from care.record import TABS
from clinic_portal.core.clock import clinic_today
from education.models import Page
from followups.models import FollowUp
from portal import concerns
from portal.models import Concern
from tests.e2e.helpers import log_in

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
RUN_AXE = """async () => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | ")}`);
}"""


@pytest.fixture
def audited_page(browser, live_server):
    # axe is injected as a script; the page's own CSP would rightly refuse it.
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    yield page
    context.close()


def record_pages(patient) -> list[str]:
    """The record's summary and each of its tabs."""
    return [patient.get_absolute_url()] + [
        reverse("patients:record_tab", args=[patient.uuid, tab.key])
        for tab in TABS
        if tab.key != "overview"
    ]


def violations(page, path: str) -> list[str]:
    page.goto(path)
    page.add_script_tag(path=str(AXE))
    return [f"{path}: {v}" for v in page.evaluate(RUN_AXE)]


def test_staff_pages_have_no_serious_accessibility_problems(
    audited_page, therapy, clinician, nurse
):
    patient = therapy.patient
    followup = FollowUp.objects.filter(therapy=therapy).first()
    # An urgent report, so that both homes, the triage list and its detail have one to show.
    report = concerns.report_concern(
        patient=patient,
        author=patient.user,
        category=Concern.Category.FEVER,
        details={"temperature": "38.6", "since": therapy.start_date.isoformat()},
        message="Hot since last night",
        today=clinic_today(),
    )
    page = Page.objects.get(slug="when-to-call")
    found = []
    log_in(audited_page, clinician)
    for path in [
        "/",
        "/patients/",
        "/patients/new/",
        *record_pages(patient),
        therapy.screening.get_absolute_url(),
        f"/patients/{patient.uuid}/screenings/new/",
        "/education/",
        "/education/new/",
        page.get_absolute_url(),
        f"/education/{page.uuid}/edit/",
        "/concerns/",
        f"/concerns/{report.uuid}/",
        f"/therapies/{therapy.uuid}/postpone/",
        f"/therapies/{therapy.uuid}/extra-check/",
    ]:
        found += violations(audited_page, path)
    audited_page.context.clear_cookies()
    log_in(audited_page, nurse)
    for path in [
        "/",
        "/followups/",
        "/followups/?tab=week",
        f"/followups/{followup.uuid}/result/",
        "/concerns/",
        f"/concerns/{report.uuid}/",
        *record_pages(patient),
    ]:
        found += violations(audited_page, path)
    assert not found, "\n".join(found)


def test_patient_pages_have_no_serious_accessibility_problems(audited_page, therapy):
    log_in(audited_page, therapy.patient.user)
    found = []
    for path in [
        "/",
        "/my/materials/",
        "/my/materials/when-to-call/",
        "/my/concerns/new/",
        "/my/concerns/new/fever/",
        "/my/concerns/",
        "/my/treatment/",
        "/my/profile/",
        "/my/access-log/",
    ]:
        found += violations(audited_page, path)
    assert not found, "\n".join(found)


def test_the_login_and_admin_pages_have_no_serious_accessibility_problems(
    audited_page, clinic_admin
):
    assert violations(audited_page, "/accounts/login/") == []
    log_in(audited_page, clinic_admin)
    assert violations(audited_page, "/") + violations(audited_page, "/audit/export/") == []
