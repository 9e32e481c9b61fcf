"""The unmatched lab results and API client pages in Chromium: a nurse attaches a result, and
axe-core finds no serious accessibility problem on the way."""

from __future__ import annotations

import pytest

from interop import services
from interop.models import LabResult
from tests.e2e.helpers import log_in
from tests.e2e.test_accessibility import violations
from tests.interop.hl7_fixtures import oru


@pytest.fixture
def audited_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, viewport={"width": 1280, "height": 900}
    )
    yield context.new_page()
    context.close()


def test_a_nurse_attaches_an_unmatched_result_in_the_browser(
    audited_page, patient, nurse, clinic_admin, today
):
    services.receive_hl7(
        oru(mrn="NOSUCH01", dob="19010101", sampled=today.strftime("%Y%m%d"), value="2.4").encode(),
        today=today,
    )
    waiting = LabResult.objects.unmatched().get()
    page = audited_page
    log_in(page, nurse)
    found = violations(page, "/lab-results/unmatched/")
    found += violations(page, f"/lab-results/{waiting.uuid}/reject/")
    found += violations(page, f"/lab-results/{waiting.uuid}/")
    page.get_by_label("Record number of the right patient").fill(patient.mrn)
    page.get_by_role("button", name="Find the patient").click()
    page.wait_for_url(f"**/attach/{patient.uuid}/")
    found += violations(page, page.url)
    page.get_by_label("I have compared both identities").check()
    page.get_by_role("button", name=f"Attach to {patient.full_name}").click()
    page.wait_for_url("**/lab-results/unmatched/")
    assert "No results are waiting" in page.content()
    waiting.refresh_from_db()
    assert waiting.state == "attached"
    page.context.clear_cookies()
    log_in(page, clinic_admin)
    found += violations(page, "/api-clients/")
    assert not found, "\n".join(found)
