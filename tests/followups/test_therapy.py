import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.urls import reverse

from clinic_portal.audit.models import AuditEvent
from followups import services
from followups.models import FollowUp, TherapyCourse
from followups.status import Status
from tests.support.web import error_beside, form_on, submit


def test_starting_therapy_creates_exactly_the_labels_plan(therapy, today):
    rows = list(FollowUp.objects.filter(therapy=therapy).order_by("due_date", "kind"))
    kinds = [r.kind for r in rows]
    assert kinds.count("neutrophil_count") == 6  # screening count 3 days old: no baseline
    assert kinds.count("vaccination_review") == 1
    assert rows[0].due_date == today and rows[0].status == Status.DUE
    assert AuditEvent.objects.filter(action="therapy.start").exists()


@pytest.mark.parametrize("anc_days_before", [31, None])
def test_an_old_or_undated_screening_count_adds_a_baseline_check(
    signed_screening, clinician, today, anc_days_before
):
    screening = signed_screening(anc_days_before=anc_days_before)
    course = services.start_therapy(
        screening=screening, actor=clinician, start_date=today, interval="daily", today=today
    )
    baseline = FollowUp.objects.get(therapy=course, kind="neutrophil_count", due_date=today)
    assert baseline.label == "Baseline neutrophil count"


def test_regenerating_a_plan_never_duplicates(therapy, today):
    before = FollowUp.objects.count()
    assert services.add_planned_checks(therapy, until=None, today=today) == 0
    assert FollowUp.objects.count() == before


def test_only_one_active_course_per_patient(therapy, signed_screening, clinician, today):
    second = signed_screening()
    with pytest.raises(services.TherapyError, match="already has a planned or active"):
        services.start_therapy(
            screening=second, actor=clinician, start_date=today, interval="daily", today=today
        )
    assert TherapyCourse.objects.count() == 1


def test_the_database_refuses_a_second_active_course(therapy, signed_screening, clinician, today):
    second = signed_screening()
    with pytest.raises(IntegrityError):
        TherapyCourse.objects.create(
            patient=therapy.patient,
            screening=second,
            start_date=today,
            interval="daily",
            started_by=clinician,
        )


def test_a_contraindicated_screening_cannot_start_therapy(signed_screening, clinician, today):
    screening = signed_screening(active_tb=True)
    with pytest.raises(services.TherapyError, match="did not clear"):
        services.start_therapy(
            screening=screening, actor=clinician, start_date=today, interval="daily", today=today
        )


def test_a_screening_older_than_30_days_cannot_start_therapy(signed_screening, clinician, today):
    screening = signed_screening()
    a_month_later = today + dt.timedelta(days=31)

    with pytest.raises(services.TherapyError, match="31 days old"):
        services.start_therapy(
            screening=screening,
            actor=clinician,
            start_date=a_month_later,
            interval="daily",
            today=a_month_later,
        )


def test_changing_the_recommended_interval_needs_a_reason(signed_screening, clinician, today):
    screening = signed_screening()
    with pytest.raises(services.TherapyError, match="reason"):
        services.start_therapy(
            screening=screening,
            actor=clinician,
            start_date=today,
            interval="every_other_day",
            today=today,
        )
    course = services.start_therapy(
        screening=screening,
        actor=clinician,
        start_date=today,
        interval="every_other_day",
        override_reason="Frail, eGFR falling",
        today=today,
    )
    assert course.interval_override_reason == "Frail, eGFR falling"


def test_severe_renal_impairment_recommends_every_other_day(signed_screening, clinician, web_as):
    screening = signed_screening(creatinine_clearance_ml_min=25)
    url = reverse("followups:therapy_start", args=[screening.uuid])
    assert form_on(web_as(clinician).get(url), url)["interval"].value == "every_other_day"


def test_the_start_cannot_precede_the_screenings_earliest_start(
    signed_screening, clinician, today, web_as
):
    screening = signed_screening(
        recent_vaccines=[{"name": "MMR", "date": (today - dt.timedelta(days=10)).isoformat()}]
    )
    url = reverse("followups:therapy_start", args=[screening.uuid])
    response = submit(web_as(clinician), url, action=url, start_date=today.isoformat())
    assert response.status_code == 400
    assert "at the earliest" in error_beside(response, "start_date")
    assert not TherapyCourse.objects.exists()


def test_a_clinician_starts_therapy_through_the_page_and_sees_the_plan(
    signed_screening, clinician, today, web_as
):
    screening = signed_screening(asthma=True)
    web = web_as(clinician)
    url = reverse("followups:therapy_start", args=[screening.uuid])
    response = submit(web, url, action=url, start_date=today.isoformat())
    assert response.status_code == 302
    html = web.get(screening.patient.get_absolute_url()).text
    assert "On Kineret" in html and "Neutrophil count, month 1" in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("start_date", "2001-01-01", "is in the past"),
        ("dose_mg", "200", "less than or equal to 100"),
        ("interval", "weekly", "valid choice"),
    ],
)
def test_bad_start_input_is_explained(
    signed_screening, clinician, today, web_as, field, value, message
):
    screening = signed_screening()
    url = reverse("followups:therapy_start", args=[screening.uuid])
    response = submit(web_as(clinician), url, action=url, **{field: value})
    assert response.status_code == 400
    assert message in error_beside(response, field)
    assert not TherapyCourse.objects.exists()


def test_nurses_cannot_start_therapy(signed_screening, nurse, client_for):
    assert (
        client_for(nurse)
        .get(reverse("followups:therapy_start", args=[signed_screening().uuid]))
        .status_code
        == 403
    )


def test_stopping_cancels_future_checks_and_keeps_completed_ones(therapy, clinician, nurse, today):
    first = (
        FollowUp.objects.filter(therapy=therapy, kind="neutrophil_count")
        .order_by("due_date")
        .first()
    )
    later = today + dt.timedelta(days=40)
    services.record_result(
        patient=therapy.patient,
        actor=nurse,
        followup=first,
        value=Decimal("2.5"),
        sample_date=first.due_date,
        lab="Lab",
        today=later,
    )
    review = FollowUp.objects.get(therapy=therapy, kind="vaccination_review")
    services.stop_therapy(
        therapy=therapy, actor=clinician, stopped_on=later, reason="Remission", today=later
    )
    statuses = dict(FollowUp.objects.filter(therapy=therapy).values_list("due_date", "status"))
    assert FollowUp.objects.get(pk=first.pk).status == Status.COMPLETED
    assert FollowUp.objects.get(pk=review.pk).status in {
        "scheduled",
        "due",
        "overdue",
    }  # before the stop: left open
    assert all(status == "cancelled" for day, status in statuses.items() if day > later)
    therapy.refresh_from_db()
    assert not therapy.is_ongoing


def test_a_stopped_course_needs_a_new_screening_to_restart(therapy, clinician, today):
    services.stop_therapy(
        therapy=therapy, actor=clinician, stopped_on=today, reason="Side effects", today=today
    )
    with pytest.raises(services.TherapyError):
        services.start_therapy(
            screening=therapy.screening,
            actor=clinician,
            start_date=today,
            interval="daily",
            today=today,
        )


def test_a_stop_before_the_start_is_refused(therapy, clinician, today, web_as):
    url = reverse("followups:therapy_stop", args=[therapy.uuid])
    day_before = (today - dt.timedelta(days=1)).isoformat()
    response = submit(web_as(clinician), url, action=url, stopped_on=day_before, reason="x")
    assert response.status_code == 400
    assert error_beside(response, "stopped_on")
    therapy.refresh_from_db()
    assert therapy.is_ongoing


def test_starting_kineret_adds_it_to_the_records_current_medicines(therapy, patient):
    from clinic_portal.audit.models import AuditEvent

    patient.refresh_from_db()
    assert patient.medication_lines[-1] == "Kineret (anakinra) 100 mg once a day"
    assert patient.medication_lines[0] == "Methotrexate 15 mg weekly"  # the rest is kept
    change = AuditEvent.objects.get(action="patient.update", patient_uuid=patient.uuid)
    assert set(change.detail["changes"]) == {"current_medications"}


def test_a_record_that_already_lists_anakinra_is_left_as_it_is(
    signed_screening, clinician, patient, today
):
    from followups import services as followup_services

    patient.current_medications = "Anakinra 100 mg daily (from the previous clinic)"
    patient.save()
    followup_services.start_therapy(
        screening=signed_screening(),
        actor=clinician,
        start_date=today,
        interval="daily",
        today=today,
    )
    patient.refresh_from_db()
    assert patient.medication_lines == ["Anakinra 100 mg daily (from the previous clinic)"]
