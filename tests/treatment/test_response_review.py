"""The response review: the patient's own score before the visit and the rheumatologist's CDAI."""

import datetime as dt
from decimal import Decimal

import pytest

from followups.models import FollowUp, TherapyCourse
from treatment import services
from treatment.models import CdaiAssessment


def _at_review(course, today):
    """Move the course so that its 12-week review is today."""
    start = today - dt.timedelta(weeks=12)
    TherapyCourse.objects.filter(pk=course.pk).update(start_date=start)
    review = FollowUp.objects.filter(therapy=course, kind="response_review").order_by("due_date")[0]
    FollowUp.objects.filter(pk=review.pk).update(due_date=today)
    course.refresh_from_db()
    review.refresh_from_db()
    return review


def test_starting_therapy_plans_teaching_and_a_12_week_review(therapy):
    checks = FollowUp.objects.filter(therapy=therapy).order_by("due_date")
    assert checks.get(kind="injection_teaching").due_date == therapy.start_date
    first_review = checks.filter(kind="response_review").first()
    assert first_review.due_date == therapy.start_date + dt.timedelta(weeks=12)


def test_the_patient_enters_a_global_score_and_the_rheumatologist_sees_it(
    course, web_as, patient_user, clinician, patient, today
):
    _at_review(course, today)
    page = web_as(patient_user).get("/my/treatment/").click(href="/my/treatment/review-score/")
    form = page.forms[1]
    form["score"] = "6"
    form.submit().follow()
    cdai = web_as(clinician).get(f"/patients/{patient.uuid}/cdai/")
    assert Decimal(cdai.forms[1]["patient_global"].value) == 6
    assert "entered 6 in the portal" in cdai


def test_a_rheumatologist_records_cdai_at_the_review_and_the_trend_has_two_points(
    course, web_as, clinician, patient, today
):
    review = _at_review(course, today)
    services.record_cdai(
        patient=patient,
        therapy=course,
        clinician=clinician,
        assessed_on=course.start_date,
        tender=10,
        swollen=8,
        patient_global=Decimal("7"),
        evaluator_global=Decimal("6"),
        today=today,
    )
    page = web_as(clinician).get(f"/patients/{patient.uuid}/cdai/")
    form = page.forms[1]
    form["tender_joints"] = "3"
    form["swollen_joints"] = "2"
    form["patient_global"] = "3"
    form["evaluator_global"] = "1.5"
    record = form.submit().follow()
    latest = CdaiAssessment.objects.last()
    assert (latest.score, latest.band) == (Decimal("9.5"), "low")
    review.refresh_from_db()
    assert review.status == "completed" and latest.followup == review
    trend = record.html.select("table.cdai-trend tbody tr")
    assert [row.find_all("td")[1].text for row in trend] == ["31.0", "9.5"]
    assert "High disease activity" in record and "Low disease activity" in record
    assert len(record.html.select("circle.cdai-point")) == 2


def test_out_of_range_counts_are_refused_and_nothing_is_saved(course, web_as, clinician, patient):
    form = web_as(clinician).get(f"/patients/{patient.uuid}/cdai/").forms[1]
    form["tender_joints"] = "29"
    form["swollen_joints"] = "-1"
    form["patient_global"] = "11"
    form["evaluator_global"] = "abc"
    page = form.submit(status=400)
    assert page.html.select(".invalid-feedback")
    assert not CdaiAssessment.objects.exists()


def test_nurses_cannot_record_a_cdai(course, client_for, nurse, patient):
    assert client_for(nurse).get(f"/patients/{patient.uuid}/cdai/").status_code == 403


def test_the_review_followup_page_offers_the_cdai_to_the_rheumatologist(course, web_as, clinician):
    review = FollowUp.objects.filter(therapy=course, kind="response_review").first()
    page = web_as(clinician).get(review.get_absolute_url())
    assert "Record CDAI" in page


def test_the_same_cdai_sent_twice_is_recorded_once(course, clinician, patient, today):
    def send():
        return services.record_cdai(
            patient=patient,
            therapy=course,
            clinician=clinician,
            assessed_on=today,
            tender=2,
            swollen=1,
            patient_global=Decimal("2"),
            evaluator_global=Decimal("1"),
            today=today,
        )

    assert send() == send()
    assert CdaiAssessment.objects.count() == 1


@pytest.mark.parametrize("days", [1, -1])
def test_a_cdai_dated_in_the_future_or_before_birth_is_refused(
    course, web_as, clinician, patient, today, days
):
    form = web_as(clinician).get(f"/patients/{patient.uuid}/cdai/").forms[1]
    form["assessed_on"] = (
        today + dt.timedelta(days=1) if days > 0 else patient.date_of_birth - dt.timedelta(days=1)
    ).isoformat()
    for name, value in [
        ("tender_joints", "1"),
        ("swollen_joints", "1"),
        ("patient_global", "1"),
        ("evaluator_global", "1"),
    ]:
        form[name] = value
    page = form.submit(status=400)
    assert "future" in page or "before the patient&#x27;s birth" in page
    assert not CdaiAssessment.objects.exists()
