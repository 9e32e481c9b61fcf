"""The navbar stays on one line on a 1280-pixel screen and folds into a menu on a phone."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sized_page(browser, live_server):
    contexts = []

    def open_at(width: int, height: int = 900):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": height}
        )
        contexts.append(context)
        return context.new_page()

    yield open_at
    for context in contexts:
        context.close()


@pytest.mark.parametrize("persona", ["clinician", "patient_user"])
def test_the_navbar_does_not_wrap_at_1280_pixels(sized_page, request, persona):
    page = sized_page(1280)
    log_in(page, request.getfixturevalue(persona))
    height = page.locator("nav.navbar").bounding_box()["height"]
    assert height < 80, f"the navbar is {height}px high: it wrapped"
    assert not page.get_by_role("button", name="Show menu").is_visible()


def test_on_a_phone_the_navbar_collapses_into_a_menu(sized_page, nurse):
    page = sized_page(375, 740)
    log_in(page, nurse)
    assert not page.get_by_role("link", name="Follow-ups").first.is_visible()
    page.get_by_role("button", name="Show menu").click()
    page.get_by_role("link", name="Follow-ups").first.wait_for(state="visible")
    page.get_by_role("button", name="Log out").wait_for(state="visible")


def test_the_worklist_records_a_vaccination_in_place_with_htmx(sized_page, therapy, nurse):
    from clinic_portal.core.clock import clinic_today
    from followups.models import FollowUp

    review = FollowUp.objects.get(therapy=therapy, kind="vaccination_review")
    page = sized_page(1280)
    log_in(page, nurse)
    page.goto("/followups/?tab=week")
    row = page.locator(f"#row-{review.uuid}")
    row.get_by_role("link", name="Record vaccination").click()
    row.get_by_label("Vaccine").fill("Shingrix")
    row.get_by_label("Date given").fill(clinic_today().isoformat())
    row.get_by_role("button", name="Save vaccination").click()
    page.locator(f"#row-{review.uuid}").get_by_text("Vaccination saved.").wait_for()
    assert page.url.endswith("/followups/?tab=week")  # never left the list
    review.refresh_from_db()
    assert review.status == "completed"
