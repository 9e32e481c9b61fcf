"""My Kineret: the course in one sentence, on the patient's home and My treatment page."""

import datetime as dt

import pytest

from followups import services as followup_services
from followups.daily import run_daily
from followups.models import FollowUp, TherapyCourse
from treatment import services


def words(page) -> str:
    """The page's visible text with single spaces, as a reader sees it."""
    return " ".join(page.html.get_text(" ").split()).replace(" ,", ",").replace(" .", ".")


def test_a_planned_course_names_its_start_day(
    signed_screening, clinician, web_as, patient_user, today
):
    start = today + dt.timedelta(days=7)
    followup_services.start_therapy(
        screening=signed_screening(planned_start=start.isoformat()),
        actor=clinician,
        start_date=start,
        interval="daily",
        today=today,
    )
    home = web_as(patient_user).get("/")
    assert f"Kineret is planned to start on {start:%A} {start.day} {start:%B}" in words(home)


def test_an_active_course_says_dose_interval_since_when_and_who(course, web_as, patient_user):
    page = web_as(patient_user).get("/my/treatment/")
    start = course.start_date
    assert "You take Kineret 100 mg" in page and "once a day" in page
    assert f"once a day, since {start.day} {start:%B %Y}, prescribed by Dr Ines Moreau" in words(
        page
    )


def test_a_stopped_course_says_when_and_why_and_closes_the_diary(
    course, clinician, web_as, patient_user, today
):
    followup_services.stop_therapy(
        therapy=course,
        actor=clinician,
        stopped_on=today,
        reason="Your arthritis is in remission",
        today=today,
    )
    page = web_as(patient_user).get("/my/treatment/")
    assert f"Your Kineret was stopped on {today.day} {today:%B %Y}" in words(page)
    assert "Your arthritis is in remission" in page
    assert "Open my diary" not in page
    assert web_as(patient_user).get("/my/treatment/diary/").status_code == 302
    course.refresh_from_db()
    with pytest.raises(services.TreatmentError):
        services.log_injection(
            patient=course.patient,
            therapy=course,
            day=today,
            time=None,
            site="arm_left",
            now=dt.datetime.now(),
            today=today,
        )


def test_the_next_two_checks_are_shown(course, web_as, patient_user, today):
    upcoming = (
        FollowUp.objects.filter(patient=course.patient, due_date__gte=today)
        .exclude(kind="injection_teaching")
        .order_by("due_date")[:3]
    )
    page = web_as(patient_user).get("/my/treatment/")
    coming_up = page.html.find(id="next-heading").find_parent("section").text
    for check in upcoming[:2]:
        assert f"{check.due_date:%A} {check.due_date.day} {check.due_date:%B}" in coming_up
    third = upcoming[2].due_date
    if third != upcoming[1].due_date:
        assert f"{third:%A} {third.day} {third:%B}" not in coming_up


def test_the_daily_job_keeps_a_year_of_response_reviews_ahead(therapy, today):
    later = today + dt.timedelta(days=500)
    TherapyCourse.objects.filter(pk=therapy.pk).update(stopped_on=None)
    run_daily(later)
    reviews = list(
        FollowUp.objects.filter(therapy=therapy, kind="response_review")
        .order_by("due_date")
        .values_list("due_date", flat=True)
    )
    assert reviews[-1] > later
    assert len(reviews) == len(set(reviews))
    assert run_daily(later).checks_added == 0
