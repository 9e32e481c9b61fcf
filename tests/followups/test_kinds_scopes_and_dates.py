"""Each record goes only where it belongs: results to neutrophil checks, vaccines to the checks in
their scope, live vaccines to an alert whenever they fall near or in a course, and no date
before birth, before 1900 or (for the past) in the future."""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal

import pytest
from django.urls import reverse

from clinic_portal.core.clock import clinic_today
from followups import services
from followups.models import Alert, FollowUp, NeutrophilResult, Vaccination
from followups.planner import Kind
from tests.followups.test_course_lifecycle import form_with


@pytest.fixture
def review(therapy):
    return FollowUp.objects.get(therapy=therapy, kind=Kind.VACCINATION_REVIEW)


@pytest.fixture
def flu_check(therapy):
    """The 2027-28 season's check: today is 30 Nov 2026, so the first year's plan holds it."""
    return FollowUp.objects.get(
        therapy=therapy, kind=Kind.INFLUENZA_VACCINATION, due_date=dt.date(2027, 10, 1)
    )


def test_a_vaccination_against_a_blood_test_is_refused_and_nothing_changes(
    web_as, nurse, month_one, today
):
    page = web_as(nurse).get(reverse("followups:followup_vaccination", args=[month_one.uuid]))
    form = form_with(page, "given_on")
    form["name"] = "Shingrix"
    form["given_on"] = today.isoformat()
    refused = form.submit(status=400)
    assert "only against a vaccination or flu check" in refused.text
    month_one.refresh_from_db()
    assert month_one.is_open
    assert not Vaccination.objects.exists()


def test_a_result_against_a_vaccination_check_is_refused(nurse, review, today):
    with pytest.raises(services.TherapyError, match="only against a neutrophil check"):
        services.record_result(
            patient=review.patient,
            actor=nurse,
            value=Decimal("2.0"),
            sample_date=today,
            lab="Lab",
            followup=review,
            today=today,
        )
    assert not NeutrophilResult.objects.exists()
    review.refresh_from_db()
    assert review.is_open


@pytest.mark.parametrize(
    ("vaccine", "completes"),
    [
        ("Shingrix", True),
        ("Prevenar 20", True),
        ("Fluad", True),
        ("Tdap", False),
        ("COVID-19 vaccine", False),
        ("Hepatitis B", False),
    ],
)
def test_only_influenza_pneumococcal_or_zoster_completes_the_vaccination_review(
    web_as, nurse, review, today, vaccine, completes
):
    page = web_as(nurse).get(reverse("followups:followup_vaccination", args=[review.uuid]))
    form = form_with(page, "given_on")
    form["name"] = vaccine
    form["given_on"] = today.isoformat()
    form.submit().follow()
    review.refresh_from_db()
    assert review.is_open is not completes
    assert Vaccination.objects.get().name == vaccine  # recorded either way


@pytest.mark.parametrize(
    ("given_on", "completes"),
    [
        ("2027-07-31", False),  # before the season's first vaccination day
        ("2027-08-01", True),
        ("2027-10-15", True),
        ("2028-02-01", True),
        ("2026-10-01", False),  # last season's vaccine
    ],
)
def test_a_flu_vaccine_completes_the_season_check_only_from_the_seasons_first_day(
    nurse, flu_check, given_on, completes
):
    day = dt.date.fromisoformat(given_on)
    services.record_vaccination(
        patient=flu_check.patient,
        actor=nurse,
        name="Fluad",
        given_on=day,
        followup=flu_check,
        today=dt.date(2028, 3, 1),
    )
    flu_check.refresh_from_db()
    assert flu_check.is_open is not completes


def test_a_zoster_vaccine_never_completes_the_flu_check(nurse, flu_check):
    services.record_vaccination(
        patient=flu_check.patient,
        actor=nurse,
        name="Shingrix",
        given_on=dt.date(2027, 10, 2),
        followup=flu_check,
        today=dt.date(2027, 10, 20),
    )
    flu_check.refresh_from_db()
    assert flu_check.is_open


@pytest.mark.parametrize(
    ("days_before_start", "alerted"), [(10, True), (27, True), (28, False), (60, False)]
)
def test_a_live_vaccine_in_the_four_weeks_before_the_start_is_urgent_when_recorded_later(
    therapy, nurse, today, days_before_start, alerted
):
    services.record_vaccination(
        patient=therapy.patient,
        actor=nurse,
        name="Yellow fever",
        given_on=therapy.start_date - dt.timedelta(days=days_before_start),
        today=today,
    )
    assert Alert.objects.filter(cause="LIVE_VACCINE_ON_THERAPY", severity="urgent").exists() is (
        alerted
    )


def test_a_live_vaccine_inside_a_stopped_course_still_alerts(therapy, nurse, clinician, today):
    later = today + dt.timedelta(days=20)
    services.stop_therapy(
        therapy=therapy, actor=clinician, stopped_on=later, reason="Remission", today=later
    )
    services.record_vaccination(
        patient=therapy.patient,
        actor=nurse,
        name="MMR",
        given_on=today + dt.timedelta(days=5),
        today=later,
    )
    assert Alert.objects.filter(cause="LIVE_VACCINE_ON_THERAPY").exists()


@pytest.mark.parametrize(
    ("given_on", "message"),
    [
        ("1800-01-01", "before 1900"),
        ("1950-01-01", "before the patient's birth"),
    ],
)
def test_implausible_vaccination_dates_are_refused_with_the_field(
    web_as, nurse, patient, given_on, message
):
    patient.date_of_birth = dt.date(1958, 4, 2)
    patient.save(update_fields=["date_of_birth"])
    page = web_as(nurse).get(reverse("followups:patient_vaccination", args=[patient.uuid]))
    form = form_with(page, "given_on")
    form["name"] = "Shingrix"
    form["given_on"] = given_on
    refused = form.submit(status=400)
    beside_field = html.unescape(refused.text).split('id="error_1_id_given_on"', 1)[1][:200]
    assert message in beside_field
    assert not Vaccination.objects.exists()


def test_the_service_refuses_an_implausible_date_even_without_the_form(nurse, patient):
    with pytest.raises(services.DateRefused) as refused:
        services.record_vaccination(
            patient=patient,
            actor=nurse,
            name="Shingrix",
            given_on=dt.date(1800, 1, 1),
            today=clinic_today(),
        )
    assert refused.value.field == "given_on"
    with pytest.raises(services.DateRefused, match="Sample date"):
        services.record_result(
            patient=patient,
            actor=nurse,
            value=Decimal("2"),
            sample_date=dt.date(2999, 1, 1),
            lab="Lab",
            today=clinic_today(),
        )


# --- moving, dropping and adding blood tests ----------------------------------------------------


def test_moving_a_blood_test_beyond_its_window_tells_the_rheumatologist(
    web_as, nurse, month_one, clinician
):
    page = web_as(nurse).get(reverse("followups:followup_reschedule", args=[month_one.uuid]))
    form = form_with(page, "new_date")
    form["new_date"] = (month_one.due_date + dt.timedelta(days=120)).isoformat()
    form["reason"] = "Patient abroad"
    form.submit().follow()
    alert = Alert.objects.get(cause="NEUTROPHIL_CHECK_CHANGED")
    assert alert.severity == "attention" and alert.clinician == clinician
    assert "Patient abroad" in alert.message


def test_moving_a_blood_test_within_its_window_raises_nothing(nurse, month_one):
    services.reschedule_followup(
        followup=month_one,
        actor=nurse,
        new_date=month_one.due_date + dt.timedelta(days=3),
        reason="Clinic closed",
        today=clinic_today(),
    )
    assert not Alert.objects.exists()


def test_a_blood_test_marked_not_done_tells_the_rheumatologist(web_as, nurse, month_one):
    page = web_as(nurse).get(reverse("followups:followup_not_done", args=[month_one.uuid]))
    form = form_with(page, "reason")
    form["reason"] = "Patient declined"
    form.submit().follow()
    assert Alert.objects.filter(cause="NEUTROPHIL_CHECK_CHANGED", severity="attention").exists()


def test_a_nurse_adds_an_extra_neutrophil_check(web_as, nurse, therapy, today):
    page = web_as(nurse).get(reverse("followups:therapy_extra_check", args=[therapy.uuid]))
    form = form_with(page, "due_date")
    form["due_date"] = (today + dt.timedelta(days=3)).isoformat()
    form["reason"] = "Repeat after a count of 1.2"
    form.submit().follow()
    extra = FollowUp.objects.get(therapy=therapy, label="Extra neutrophil count")
    assert extra.kind == Kind.NEUTROPHIL_COUNT and extra.is_open


def test_a_fever_since_1800_is_refused_beside_the_field(web_as, patient_user):
    from portal.models import Concern

    page = web_as(patient_user).get(reverse("portal:concern_new", args=["fever"]))
    form = form_with(page, "since")
    form["temperature"] = "38.4"
    form["since"] = "1800-01-01"
    refused = form.submit(status=400)
    assert "before 1900" in refused.text
    assert not Concern.objects.exists()


def test_a_screening_with_a_vaccine_before_1900_is_refused_by_the_service(
    patient, clinician, today
):
    from screening import services as screening_services
    from tests.screening.cases import CLEAR

    answers = {**CLEAR, "recent_vaccines": [{"name": "Shingrix", "date": "1800-01-01"}]}
    with pytest.raises(screening_services.ImplausibleDate) as refused:
        screening_services.start_screening(
            patient=patient, actor=clinician, answers=answers, evaluate_now=True, today=today
        )
    assert refused.value.field == "recent_vaccines"
