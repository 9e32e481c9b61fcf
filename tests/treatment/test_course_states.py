"""My treatment follows the course's one lifecycle (followups.rules.CourseState): a course on hold
or cancelled has no diary and says so plainly; the teaching and response-review checks are
completed only by their own forms, never by a result or a vaccination."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from followups import services as followup_services
from followups.models import FollowUp, TherapyCourse
from followups.planner import Kind
from followups.rules import CourseState
from treatment import services
from treatment.models import CdaiAssessment, InjectionEntry


def words(page) -> str:
    return " ".join(page.html.get_text(" ").split()).replace(" ,", ",").replace(" .", ".")


@pytest.fixture
def planned(signed_screening, clinician, today):
    start = today + dt.timedelta(days=7)
    return followup_services.start_therapy(
        screening=signed_screening(planned_start=start.isoformat()),
        actor=clinician,
        start_date=start,
        interval="daily",
        today=today,
    )


@pytest.fixture
def on_hold(planned, nurse, today):
    """Held the way main holds a planned course: a count below 1.5 before the start."""
    followup_services.record_result(
        patient=planned.patient,
        actor=nurse,
        value=Decimal("0.8"),
        sample_date=today,
        lab="Lab",
        today=today,
    )
    planned.refresh_from_db()
    assert planned.state_on(today) == CourseState.ON_HOLD
    return planned


def test_a_course_on_hold_tells_the_patient_not_to_start_and_has_no_diary(
    on_hold, nurse, web_as, patient_user, today
):
    services.record_injection_teaching(therapy=on_hold, nurse=nurse, taught_on=today, today=today)
    app = web_as(patient_user)
    home = words(app.get("/"))
    assert "Please do not start yet: your care team will call you about the start date" in home
    assert "injection diary" not in home.lower()
    page = app.get("/my/treatment/")
    assert "Please do not start yet" in words(page)
    assert page.html.find(id="diary-heading") is None
    closed = app.get("/my/treatment/diary/").follow()
    assert "Please do not start Kineret yet" in words(closed)
    with pytest.raises(services.TreatmentError, match="only while your Kineret course is running"):
        services.log_missed_dose(
            patient=on_hold.patient, therapy=on_hold, day=today, reason="forgot", today=today
        )
    assert not InjectionEntry.objects.exists()


def test_a_course_on_hold_has_no_injection_days_in_the_calendar_and_no_valid_card(
    signed_screening, clinician, client, client_for, web_as, patient_user, today
):
    start = today + dt.timedelta(days=3)
    course = followup_services.start_therapy(
        screening=signed_screening(creatinine_clearance_ml_min=25, planned_start=start.isoformat()),
        actor=clinician,
        start_date=start,
        interval="every_other_day",
        today=today,
    )

    def titles() -> set[str]:
        url = web_as(patient_user).get("/my/treatment/calendar/").html.find(id="feed-url")["value"]
        body = client.get("/" + url.split("//", 1)[1].split("/", 1)[1]).content
        return {str(e["summary"]) for e in Calendar.from_ical(body).walk("VEVENT")}

    assert "Injection day" in titles()
    TherapyCourse.objects.filter(pk=course.pk).update(held_at=dt.datetime.now(dt.UTC))
    assert "Injection day" not in titles()
    card = client_for(patient_user).get("/my/treatment/card.pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(card.content)).pages)
    assert "on hold, so this card is not valid yet" in " ".join(text.split())


def test_a_cancelled_course_says_it_will_not_go_ahead_with_no_diary_and_no_card(
    planned, clinician, nurse, web_as, client_for, patient, patient_user, today
):
    followup_services.cancel_course(
        course=planned,
        actor=clinician,
        reason="We agreed to try another medicine first",
        today=today,
    )
    page = web_as(patient_user).get("/my/treatment/")
    text = words(page)
    assert f"The Kineret course planned to start on {planned.start_date:%-d %B %Y}" in text
    assert "will not go ahead" in text and "We agreed to try another medicine first" in text
    assert page.html.find(id="diary-heading") is None
    assert page.html.find(id="card-heading") is None
    assert "will not go ahead" in words(web_as(patient_user).get("/"))
    assert client_for(patient_user).get("/my/treatment/card.pdf").status_code == 404
    closed = web_as(patient_user).get("/my/treatment/diary/").follow()
    assert "will not go ahead, so there is no diary" in words(closed)
    # Staff: no card from the record, no teaching for a course that never began.
    assert client_for(nurse).get(f"/patients/{patient.uuid}/card.pdf").status_code == 404
    assert client_for(nurse).get(f"/patients/{patient.uuid}/teaching/").status_code == 404
    with pytest.raises(services.TreatmentError):
        services.record_injection_teaching(
            therapy=planned, nurse=nurse, taught_on=today, today=today
        )


def test_a_new_course_after_a_cancelled_one_is_the_one_shown(
    planned, signed_screening, clinician, web_as, patient_user, today
):
    followup_services.cancel_course(
        course=planned, actor=clinician, reason="Wrong start day", today=today
    )
    followup_services.start_therapy(
        screening=signed_screening(),
        actor=clinician,
        start_date=today,
        interval="daily",
        today=today,
    )
    text = words(web_as(patient_user).get("/my/treatment/"))
    assert "You take Kineret 100 mg once a day" in text
    assert "will not go ahead" not in text


# --- the new check kinds and main's kind checks ---------------------------------------------------


def test_a_result_or_a_vaccination_never_completes_teaching_or_a_response_review(
    course, nurse, today
):
    # ``course`` (conftest) has its teaching recorded, so a fresh teaching check is made here.
    review = FollowUp.objects.filter(therapy=course, kind=Kind.RESPONSE_REVIEW).first()
    teaching = FollowUp.objects.create(
        therapy=course,
        patient=course.patient,
        kind=Kind.INJECTION_TEACHING,
        label="Injection teaching",
        due_date=today + dt.timedelta(days=1),
    )
    for check in (teaching, review):
        with pytest.raises(followup_services.TherapyError, match="only against a neutrophil"):
            followup_services.record_result(
                patient=course.patient,
                actor=nurse,
                value=Decimal("2.0"),
                sample_date=today,
                lab="Lab",
                followup=check,
                today=today,
            )
        with pytest.raises(followup_services.TherapyError, match="vaccination or flu check"):
            followup_services.record_vaccination(
                patient=course.patient,
                actor=nurse,
                name="Fluad",
                given_on=today,
                followup=check,
                today=today,
            )
        check.refresh_from_db()
        assert check.is_open


def test_teaching_and_cdai_close_only_their_own_checks(
    started_days_ago, nurse, clinician, patient, today
):
    therapy = started_days_ago(days=0, teach=False)
    first_review = FollowUp.objects.filter(therapy=therapy, kind=Kind.RESPONSE_REVIEW).first()
    FollowUp.objects.filter(pk=first_review.pk).update(due_date=today)
    before = dict(
        FollowUp.objects.filter(therapy=therapy)
        .exclude(kind__in=[Kind.INJECTION_TEACHING, Kind.RESPONSE_REVIEW])
        .values_list("pk", "status")
    )
    services.record_injection_teaching(
        therapy=therapy, nurse=nurse, taught_on=therapy.start_date, today=today
    )
    review = FollowUp.objects.get(therapy=therapy, kind=Kind.RESPONSE_REVIEW, due_date=today)
    services.record_cdai(
        patient=patient,
        therapy=therapy,
        clinician=clinician,
        assessed_on=today,
        tender=2,
        swollen=1,
        patient_global=Decimal(3),
        evaluator_global=Decimal(2),
        today=today,
    )
    assert CdaiAssessment.objects.get().followup == review
    assert FollowUp.objects.get(therapy=therapy, kind=Kind.INJECTION_TEACHING).status == "completed"
    review.refresh_from_db()
    assert review.status == "completed"
    after = dict(FollowUp.objects.filter(pk__in=before).values_list("pk", "status"))
    assert after == before
