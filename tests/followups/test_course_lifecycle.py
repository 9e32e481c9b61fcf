"""A course's life through the pages a rheumatologist and a nurse use: start through the gate,
planned, postponed, cancelled, held by something unsafe, confirmed, stopped."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from clinic_portal.audit.models import AuditEvent
from clinic_portal.core.clock import clinic_today
from followups import services
from followups.models import Alert, FollowUp, TherapyCourse
from followups.rules import CourseState
from followups.status import OPEN
from portal.concerns import report_concern
from screening import services as screening_services


def form_with(page, field: str):
    """The form on the page that has ``field`` (the navbar's log-out form has none)."""
    return next(form for form in page.forms.values() if field in form.fields)


def eighteen_on(day: dt.date) -> str:
    return day.replace(year=day.year - 18).isoformat()


@pytest.fixture
def planned_screening(signed_screening, today):
    """Signed clear for a start in 20 days, the patient's 18th birthday."""
    start = today + dt.timedelta(days=20)
    return signed_screening(planned_start=start.isoformat(), date_of_birth=eighteen_on(start))


@pytest.fixture
def planned_course(signed_screening, clinician, today):
    start = today + dt.timedelta(days=7)
    screening = signed_screening(planned_start=start.isoformat())
    return services.start_therapy(
        screening=screening, actor=clinician, start_date=start, interval="daily", today=today
    )


# --- start ------------------------------------------------------------------------------------


def test_the_start_form_offers_the_planned_start_and_refuses_a_day_the_screening_does_not_cover(
    web_as, clinician, planned_screening, today
):
    app = web_as(clinician)
    page = app.get(reverse("followups:therapy_start", args=[planned_screening.uuid]))
    form = form_with(page, "start_date")
    planned = today + dt.timedelta(days=20)
    assert form["start_date"].value == planned.isoformat()

    form["start_date"] = today.isoformat()
    refused = form.submit(status=400)
    assert "AGE_UNDER_18" in refused.text
    assert f"Screen again with the planned start {today:%d %b %Y}" in refused.text
    assert not TherapyCourse.objects.exists()

    form = form_with(refused, "start_date")
    form["start_date"] = planned.isoformat()
    form.submit().follow()
    course = TherapyCourse.objects.get()
    assert course.start_date == planned
    assert course.state_on(today) == CourseState.PLANNED
    record = app.get(planned_screening.patient.get_absolute_url())
    assert f"Kineret planned to start on {planned:%-d %b %Y}" in record.text
    assert "On Kineret" not in record.text


def test_a_newer_screening_replaces_the_older_one_for_starting(
    web_as, signed_screening, clinician, patient, today
):
    older = signed_screening()
    signed_screening(active_tb=True)  # a new screening, not an amendment, signed later
    page = web_as(clinician).get(older.get_absolute_url())
    assert "Start therapy" not in page.text
    assert "A newer screening was signed" in page.text
    with pytest.raises(services.TherapyError, match="newer screening"):
        services.start_therapy(
            screening=older, actor=clinician, start_date=today, interval="daily", today=today
        )


def test_a_screening_signed_under_another_policy_is_judged_by_todays(
    signed_screening, clinician, today, settings
):
    settings.CLINIC_SCREENING_POLICY = "us_label"
    screening = signed_screening(anc_10e9_per_l=1.2)  # neutropenia only a review item
    settings.CLINIC_SCREENING_POLICY = "strict"
    with pytest.raises(services.TherapyError, match="NEUTROPENIA"):
        services.start_therapy(
            screening=screening, actor=clinician, start_date=today, interval="daily", today=today
        )


# --- postpone, cancel ---------------------------------------------------------------------------


def test_a_planned_start_is_postponed_through_the_gate_and_its_checks_move(
    web_as, clinician, planned_course, today
):
    page = web_as(clinician).get(reverse("followups:therapy_postpone", args=[planned_course.uuid]))
    form = form_with(page, "new_start")
    form["new_start"] = (today + dt.timedelta(days=60)).isoformat()  # past the 30-day validity
    form["reason"] = "Patient travelling"
    refused = form.submit(status=400)
    assert "days old" in refused.text

    new_start = today + dt.timedelta(days=14)
    form = form_with(refused, "new_start")
    form["new_start"] = new_start.isoformat()
    form.submit().follow()
    planned_course.refresh_from_db()
    assert planned_course.start_date == new_start
    review = FollowUp.objects.get(therapy=planned_course, kind="vaccination_review")
    assert review.due_date == new_start
    assert not FollowUp.objects.filter(
        therapy=planned_course, due_date__lt=new_start, status__in=OPEN
    ).exists()
    assert AuditEvent.objects.filter(action="therapy.postpone").exists()


def test_a_planned_course_is_cancelled_with_a_reason_and_its_checks_with_it(
    web_as, clinician, planned_course, today
):
    page = web_as(clinician).get(reverse("followups:therapy_cancel", args=[planned_course.uuid]))
    form = form_with(page, "reason")
    form.submit(status=400)  # a reason is required
    form["reason"] = "Patient chose another treatment"
    form.submit().follow()
    planned_course.refresh_from_db()
    assert planned_course.state_on(today) == CourseState.CANCELLED
    assert not FollowUp.objects.filter(therapy=planned_course, status__in=OPEN).exists()
    record = web_as(clinician).get(planned_course.patient.get_absolute_url())
    assert "was cancelled before it began: Patient chose another treatment" in record.text


def test_an_active_course_is_stopped_not_cancelled(web_as, clinician, therapy):
    page = web_as(clinician).get(reverse("followups:therapy_cancel", args=[therapy.uuid]))
    form = form_with(page, "reason")
    form["reason"] = "Changed my mind"
    refused = form.submit(status=400)
    assert "has not started yet can be cancelled" in refused.text
    therapy.refresh_from_db()
    assert therapy.cancelled_at is None


def test_a_planned_course_cannot_be_stopped(planned_course, clinician, today):
    with pytest.raises(services.TherapyError, match="postpone or cancel"):
        services.stop_therapy(
            therapy=planned_course, actor=clinician, stopped_on=today, reason="x", today=today
        )


# --- hold -----------------------------------------------------------------------------------


def test_a_low_count_before_the_start_holds_the_course_until_the_rheumatologist_confirms(
    web_as, nurse, clinician, planned_course, today
):
    patient = planned_course.patient
    page = web_as(nurse).get(reverse("followups:patient_result", args=[patient.uuid]))
    form = form_with(page, "value")
    form["value"] = "0.8"
    form["sample_date"] = today.isoformat()
    form["lab"] = "Clinic lab"
    form.submit().follow()
    planned_course.refresh_from_db()
    assert planned_course.state_on(today) == CourseState.ON_HOLD
    hold = Alert.objects.get(cause="START_ON_HOLD")
    assert hold.severity == "urgent" and hold.clinician == clinician

    app = web_as(clinician)
    record = app.get(patient.get_absolute_url())
    assert "On hold" in record.text
    confirm = form_with(record.click("Confirm the start"), "note")
    confirm["note"] = "Repeat count was 2.1; safe to start."
    confirm.submit().follow()
    planned_course.refresh_from_db()
    assert planned_course.state_on(today) == CourseState.PLANNED


@pytest.mark.parametrize("category", ["fever", "infection", "rash"])
def test_an_urgent_report_before_the_start_holds_the_course(
    planned_course, patient_user, today, category
):
    report_concern(
        patient=planned_course.patient,
        author=patient_user,
        category=category,
        details={},
        message="Feeling unwell",
        today=today,
    )
    planned_course.refresh_from_db()
    assert planned_course.is_held
    assert Alert.objects.filter(cause="START_ON_HOLD", severity="urgent").exists()


def test_a_live_vaccine_before_the_start_holds_the_course(planned_course, nurse, today):
    services.record_vaccination(
        patient=planned_course.patient,
        actor=nurse,
        name="Yellow fever",
        given_on=today,
        today=today,
    )
    planned_course.refresh_from_db()
    assert planned_course.is_held
    assert Alert.objects.filter(cause="LIVE_VACCINE_ON_THERAPY", severity="urgent").exists()


def _sign_amendment(screening, clinician, **changes):
    today = clinic_today()
    draft = screening_services.amend_screening(screening=screening, actor=clinician, today=today)
    draft = screening_services.save_screening_answers(
        screening=draft,
        actor=clinician,
        answers={**screening.answers, **changes},
        evaluate_now=True,
        anc_sampled_on=screening.anc_sampled_on,
        today=today,
    )
    return screening_services.sign_screening(
        screening=draft, clinician=clinician, not_started_reason="Active TB found", today=today
    )


def test_a_contraindicated_amendment_holds_a_planned_course(planned_course, clinician):
    _sign_amendment(planned_course.screening, clinician, active_tb=True)
    planned_course.refresh_from_db()
    assert planned_course.is_held
    assert "ACTIVE_TB" in planned_course.hold_reason


def test_a_contraindicated_amendment_during_therapy_raises_an_urgent_alert(therapy, clinician):
    _sign_amendment(therapy.screening, clinician, active_tb=True)
    alert = Alert.objects.get(cause="CONTRAINDICATED_ON_THERAPY")
    assert alert.severity == "urgent"
    assert "review whether to stop" in alert.message
    therapy.refresh_from_db()
    assert therapy.stopped_on is None  # the rheumatologist decides


# --- during therapy ---------------------------------------------------------------------------


def test_a_fever_with_a_recent_low_count_is_an_urgent_alert(therapy, nurse, patient_user, today):
    services.record_result(
        patient=therapy.patient,
        actor=nurse,
        value=Decimal("1.2"),
        sample_date=today - dt.timedelta(days=10),
        lab="Lab",
        today=today,
    )
    report_concern(
        patient=therapy.patient,
        author=patient_user,
        category="fever",
        details={},
        message="",
        today=today,
    )
    alert = Alert.objects.get(cause="FEVER_WITH_LOW_NEUTROPHILS")
    assert alert.severity == "urgent"


def test_a_fever_with_an_old_low_count_is_only_the_usual_report(
    therapy, nurse, patient_user, today
):
    services.record_result(
        patient=therapy.patient,
        actor=nurse,
        value=Decimal("1.2"),
        sample_date=today - dt.timedelta(days=31),
        lab="Lab",
        today=today,
    )
    report_concern(
        patient=therapy.patient,
        author=patient_user,
        category="fever",
        details={},
        message="",
        today=today,
    )
    assert not Alert.objects.filter(cause="FEVER_WITH_LOW_NEUTROPHILS").exists()


def test_a_check_due_on_the_last_day_of_treatment_stays_open(therapy, clinician, today):
    month_one = FollowUp.objects.filter(therapy=therapy, kind="neutrophil_count").earliest(
        "due_date"
    )
    services.stop_therapy(
        therapy=therapy,
        actor=clinician,
        stopped_on=month_one.due_date,
        reason="Remission",
        today=month_one.due_date,
    )
    month_one.refresh_from_db()
    assert month_one.is_open
    later = FollowUp.objects.filter(therapy=therapy, due_date__gt=month_one.due_date)
    assert later.exists() and all(f.status == "cancelled" for f in later)


def test_archiving_a_patient_with_a_course_is_refused(web_as, clinician, therapy):
    page = web_as(clinician).get(reverse("patients:archive", args=[therapy.patient.uuid]))
    form = form_with(page, "reason")
    form["reason"] = "Moved away"
    refused = form.submit(status=400)
    assert "Stop or cancel the course before archiving" in refused.text
    therapy.patient.refresh_from_db()
    assert not therapy.patient.is_archived


def test_a_planned_live_vaccine_reported_by_the_patient_holds_the_course(
    planned_course, patient_user
):
    report_concern(
        patient=planned_course.patient,
        author=patient_user,
        category="vaccination",
        details={"vaccine": "Yellow fever", "date": "2027-01-10"},
        message="",
        today=clinic_today(),
    )
    planned_course.refresh_from_db()
    assert planned_course.is_held
    assert "live vaccine" in planned_course.hold_reason
