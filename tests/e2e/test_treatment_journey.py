"""A patient keeps their Kineret diary on a 375 by 812 phone; the nurse sees what needs a look;
the rheumatologist records a CDAI at the 12-week review and sees the trend."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from clinic_portal.core.clock import clinic_today
from followups import services as followup_services
from followups.models import FollowUp, TherapyCourse
from tests.e2e.helpers import log_in
from treatment import services as treatment_services
from treatment.models import AttentionItem, InjectionEntry

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def twelve_weeks_in(signed_screening, clinician, nurse, patient):
    """A daily course that started 12 weeks ago, with teaching done and a baseline CDAI; its
    12-week response review is due today."""
    today = clinic_today()
    therapy = followup_services.start_therapy(
        screening=signed_screening(),
        actor=clinician,
        start_date=today,
        interval="daily",
        today=today,
    )
    start = today - dt.timedelta(weeks=12)
    TherapyCourse.objects.filter(pk=therapy.pk).update(start_date=start)
    therapy.refresh_from_db()
    review = FollowUp.objects.filter(therapy=therapy, kind="response_review").order_by("due_date")[
        0
    ]
    FollowUp.objects.filter(pk=review.pk).update(due_date=today)
    treatment_services.record_injection_teaching(
        therapy=therapy, nurse=nurse, taught_on=start, today=today
    )
    treatment_services.record_cdai(
        patient=patient,
        therapy=therapy,
        clinician=clinician,
        assessed_on=start,
        tender=12,
        swollen=9,
        patient_global=Decimal("7"),
        evaluator_global=Decimal("7"),
        today=today,
    )
    return therapy


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def _log_injection(page, day: dt.date, site_label: str | None = None) -> None:
    page.goto("/my/treatment/diary/")
    if site_label:
        page.get_by_label(site_label, exact=True).check()
    page.locator("#id_day").fill(day.isoformat())
    page.get_by_role("button", name="Save injection").click()
    page.get_by_text("Saved: injection").wait_for()


def test_a_patient_keeps_the_diary_and_the_team_sees_it(
    browser, live_server, twelve_weeks_in, patient, nurse, clinician, tmp_path: Path
):
    today = clinic_today()
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, accept_downloads=True)
    phone = context.new_page()
    phone.set_default_timeout(10_000)
    log_in(phone, patient.user)

    # The home says what the course is and opens the diary.
    assert "You take Kineret 100 mg" in phone.content()
    phone.get_by_role("link", name="Log today's injection").click()
    phone.get_by_role("heading", name="My injection diary").wait_for()
    _fits_the_phone(phone)

    # Three injections: the suggested site each time, then a missed day.
    for days_ago in (3, 2, 0):
        _log_injection(phone, today - dt.timedelta(days=days_ago))
    sites = list(InjectionEntry.objects.order_by("day").values_list("site", flat=True))
    assert len(set(sites)) == 3  # the suggestion rotated
    phone.get_by_role("link", name="I missed it").first.click()
    phone.get_by_label("I forgot").check()
    phone.get_by_role("button", name="Save").click()
    phone.get_by_text("Saved: missed dose").wait_for()
    assert InjectionEntry.objects.filter(kind="missed", day=today - dt.timedelta(days=1)).exists()

    # A severe reaction at yesterday-but-one's injection site.
    phone.get_by_role("link", name="How did the spot look the day after?").first.click()
    phone.get_by_label("Swelling or pain bigger than the palm of my hand").check()
    _fits_the_phone(phone)
    phone.get_by_role("button", name="Save").click()
    phone.get_by_text("Your nurse has been told").wait_for()

    # The card downloads as a PDF with the patient's name, dose and the clinic's phone.
    phone.goto("/my/treatment/")
    _fits_the_phone(phone)
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Download my wallet card (PDF)").click()
    reader = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = reader.pages[0].extract_text()
    assert patient.full_name in text and "100 mg" in text

    # Subscribing: the private link serves the patient's dates.
    phone.get_by_role("link", name="Add to my calendar").click()
    link = phone.get_by_label("Or copy this link", exact=False).input_value()
    _fits_the_phone(phone)  # measured once the calendar page is there, not mid-navigation
    feed = context.request.get(link.replace("http://127.0.0.1:8000", live_server.url))
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    assert "SUMMARY:Blood test" in feed.text()
    context.close()

    # The primary nurse sees the attention item.
    assert AttentionItem.objects.filter(nurse=nurse, cause="SITE_REACTION").exists()
    nurse_context = browser.new_context(base_url=live_server.url)
    desk = nurse_context.new_page()
    log_in(desk, nurse)
    desk.get_by_role("link", name="1 diary item for your patients needs a look").click()
    desk.get_by_role("heading", name="Injection diary items").wait_for()
    assert patient.full_name in desk.content()
    assert "Injection-site reaction" in desk.content()
    nurse_context.close()

    # The rheumatologist records the 12-week CDAI; the trend shows two points.
    clinician_context = browser.new_context(base_url=live_server.url)
    desk = clinician_context.new_page()
    log_in(desk, clinician)
    desk.goto(f"/patients/{patient.uuid}/cdai/")
    assert "Response review, 12 weeks" in desk.content()
    desk.get_by_label("Tender joints (of 28)").fill("3")
    desk.get_by_label("Swollen joints (of 28)").fill("1")
    desk.get_by_label("Patient global (0–10)").fill("3")
    desk.get_by_label("Evaluator global (0–10)").fill("2")
    desk.get_by_role("button", name="Record CDAI").click()
    desk.get_by_text("CDAI recorded.").wait_for()
    assert desk.locator("circle.cdai-point").count() == 2
    rows = desk.locator("table.cdai-trend tbody tr")
    assert rows.count() == 2
    assert "Low disease activity" in rows.nth(1).inner_text()
    clinician_context.close()


def test_the_treatment_pages_have_no_serious_accessibility_problems(
    browser, live_server, twelve_weeks_in, patient, nurse, clinician
):
    from tests.e2e.test_accessibility import violations

    treatment_services.log_injection(
        patient=patient,
        therapy=twelve_weeks_in,
        day=clinic_today(),
        time=None,
        site="thigh_left",
        reaction="large",
        now=dt.datetime.now(),
        today=clinic_today(),
    )
    entry = InjectionEntry.objects.get()
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, viewport=PHONE)
    page = context.new_page()
    found = []
    log_in(page, patient.user)
    for path in [
        "/my/treatment/",
        "/my/treatment/diary/",
        "/my/treatment/diary/missed/",
        f"/my/treatment/diary/{entry.uuid}/reaction/",
        "/my/treatment/review-score/",
        "/my/treatment/calendar/",
        "/my/treatment/other-doctor/",
        "/my/concerns/new/side_effects/",
        "/my/concerns/new/pregnancy/",
    ]:
        found += violations(page, path)
        _fits_the_phone(page)
    for user, paths in [
        (
            nurse,
            ["/treatment/attention/", f"/patients/{patient.uuid}/diary/", "/treatment/calendar/"],
        ),
        (clinician, [f"/patients/{patient.uuid}/cdai/", patient.get_absolute_url()]),
    ]:
        context.clear_cookies()
        log_in(page, user)
        for path in paths:
            found += violations(page, path)
    context.close()
    assert not found, "\n".join(found)
