"""The "I take Kineret" card and letter (PDF) and the private calendar feeds (.ics)."""

import datetime as dt
import io

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from clinic_portal.audit.models import AuditEvent
from followups.models import TherapyCourse
from tests.factories import PatientFactory
from treatment.models import CalendarToken


def pdf_text(response) -> tuple[int, str]:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return len(reader.pages), " ".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("document", ["card", "letter"])
def test_the_patient_downloads_a_card_and_letter_with_name_dose_and_phone(
    course, web_as, patient_user, patient, settings, document
):
    page = web_as(patient_user).get("/my/treatment/")
    response = page.click(href=f"/my/treatment/{document}.pdf")
    pages, text = pdf_text(response)
    assert 1 <= pages <= 2
    assert patient.full_name in text
    assert "100 mg" in text and "once a day" in text
    assert settings.CLINIC_PHONE in text
    assert "live vaccines" in text and "Valid while the Kineret course is active" in text
    assert AuditEvent.objects.filter(action="treatment.card", patient_uuid=patient.uuid).exists()


def test_staff_download_the_card_from_the_record_and_the_read_is_audited(
    started_days_ago, client_for, nurse, patient, settings
):
    started_days_ago(interval="every_other_day")
    response = client_for(nurse).get(f"/patients/{patient.uuid}/card.pdf")
    pages, text = pdf_text(response)
    assert pages == 1 and "every other day" in text and settings.CLINIC_PHONE in text
    assert AuditEvent.objects.filter(
        action="treatment.card", actor=nurse, patient_uuid=patient.uuid, kind="read"
    ).exists()


def test_a_stopped_course_card_says_it_is_no_longer_valid(course, client_for, patient_user, today):
    TherapyCourse.objects.filter(pk=course.pk).update(stopped_on=today, stop_reason="x")
    _, text = pdf_text(client_for(patient_user).get("/my/treatment/card.pdf"))
    assert "no longer valid" in text


def test_without_a_course_there_is_no_card(client_for, patient_user):
    assert client_for(patient_user).get("/my/treatment/card.pdf").status_code == 404


def _feed_path(page) -> str:
    """The path of the link the page shows (the full link carries SITE_URL)."""
    url = page.html.find(id="feed-url")["value"]
    return "/" + url.split("//", 1)[1].split("/", 1)[1]


def test_the_patient_subscribes_to_a_private_feed_with_nothing_clinical(
    started_days_ago, web_as, client, patient_user, patient, today
):
    started_days_ago(days=2, interval="every_other_day")
    path = _feed_path(web_as(patient_user).get("/my/treatment/calendar/"))
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token) >= 40
    response = client.get(path)  # a calendar app: no session
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    titles = {str(event["summary"]) for event in calendar.walk("VEVENT")}
    assert {"Blood test", "Vaccination check", "Injection day", "Clinic appointment"} <= titles
    body = response.content.decode().lower()
    for word in ("neutrophil", "kineret", "anakinra", patient.family_name.lower()):
        assert word not in body
    injection_days = sorted(
        event.decoded("dtstart")
        for event in calendar.walk("VEVENT")
        if event["summary"] == "Injection day"
    )
    assert injection_days[0] == today  # started two days ago, every other day
    assert injection_days[1] - injection_days[0] == dt.timedelta(days=2)
    read = AuditEvent.objects.get(action="calendar.read", patient_uuid=patient.uuid)
    assert read.kind == "read" and read.detail == {"by": "calendar"}


def test_resetting_the_link_stops_the_old_one_at_once(course, web_as, client, patient_user):
    app = web_as(patient_user)
    page = app.get("/my/treatment/calendar/")
    old = _feed_path(page)
    page = page.forms[1].submit().follow()
    new = _feed_path(page)
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert CalendarToken.objects.current().count() == 1


def test_the_nurse_feed_shows_her_patients_checks_with_initials_only(
    course, signed_screening, web_as, client, nurse, patient, clinician
):
    PatientFactory(given_name="Zed", family_name="Notmine", responsible_clinician=clinician)
    page = web_as(nurse).get("/treatment/calendar/")
    response = client.get(_feed_path(page))
    calendar = Calendar.from_ical(response.content)
    summaries = [str(e["summary"]) for e in calendar.walk("VEVENT")]
    assert summaries and all(s.endswith(": PE") for s in summaries)  # Pat Example
    assert patient.family_name not in response.content.decode()
    assert AuditEvent.objects.filter(
        action="calendar.read", actor=nurse, patient_uuid=patient.uuid
    ).exists()


@pytest.mark.parametrize("token", ["x", "a" * 43, "a" * 300, "%00"])
def test_an_unknown_token_is_404(db, client, token):
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_two_resets_leave_one_current_link(course, patient_user):
    from treatment import services

    services.calendar_token_for(user=patient_user)
    services.reset_calendar_token(user=patient_user)
    services.reset_calendar_token(user=patient_user)
    assert CalendarToken.objects.filter(user=patient_user).count() == 3
    assert CalendarToken.objects.current().filter(user=patient_user).count() == 1
