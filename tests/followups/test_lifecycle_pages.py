"""The seen cases that remained service-level elsewhere, through the pages a clinician and a nurse
use, and the reminders of a course on hold."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from followups.daily import run_daily
from followups.models import Alert, FollowUp, TherapyCourse
from tests.followups.test_course_lifecycle import form_with


def test_a_screening_signed_under_us_label_cannot_start_under_strict(
    web_as, clinician, signed_screening, today, settings
):
    settings.CLINIC_SCREENING_POLICY = "us_label"
    screening = signed_screening(anc_10e9_per_l=1.2)
    settings.CLINIC_SCREENING_POLICY = "strict"
    app = web_as(clinician)
    assert "Start therapy" not in app.get(screening.patient.get_absolute_url()).text
    page = app.get(reverse("followups:therapy_start", args=[screening.uuid]))
    assert "NEUTROPENIA" in page.text  # the gate's refusal is shown before anyone submits
    refused = form_with(page, "start_date").submit(status=400)
    assert "contraindicated (NEUTROPENIA)" in refused.text
    assert not TherapyCourse.objects.exists()


def test_a_live_vaccine_from_before_the_start_recorded_during_therapy_is_urgent(
    web_as, nurse, therapy, clinician
):
    page = web_as(nurse).get(reverse("followups:patient_vaccination", args=[therapy.patient.uuid]))
    form = form_with(page, "given_on")
    form["name"] = "Stamaril"
    form["given_on"] = (therapy.start_date - dt.timedelta(days=10)).isoformat()
    saved = form.submit().follow()
    assert "urgent alert" in saved.text
    alert = Alert.objects.get(cause="LIVE_VACCINE_ON_THERAPY")
    assert alert.severity == "urgent" and alert.clinician == clinician


def test_a_course_on_hold_sends_no_reminders(
    signed_screening, clinician, nurse, today, mailoutbox, django_capture_on_commit_callbacks
):
    from decimal import Decimal

    from followups import services

    start = today + dt.timedelta(days=7)
    course = services.start_therapy(
        screening=signed_screening(planned_start=start.isoformat()),
        actor=clinician,
        start_date=start,
        interval="daily",
        today=today,
    )
    services.record_result(
        patient=course.patient,
        actor=nurse,
        value=Decimal("0.9"),
        sample_date=today,
        lab="Lab",
        today=today,
    )
    assert FollowUp.objects.filter(therapy=course, due_date=start).exists()
    with django_capture_on_commit_callbacks(execute=True):
        run_daily(today)  # the start-day checks are a week away: reminder day
    assert not [m for m in mailoutbox if m.subject.startswith("Reminder")]
