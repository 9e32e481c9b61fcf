"""The dose and interval are shown wherever the course is: the follow-up page, the worklist row,
the patient's home and the starter page the patient reads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from followups import services
from followups.models import FollowUp


@pytest.fixture
def every_other_day(signed_screening, clinician, today):
    screening = signed_screening(creatinine_clearance_ml_min=25)
    assert screening.result["dosing"] == "every_other_day"
    return services.start_therapy(
        screening=screening,
        actor=clinician,
        start_date=today,
        interval="every_other_day",
        today=today,
    )


def test_staff_see_the_interval_on_the_check_and_the_worklist(web_as, nurse, every_other_day):
    review = FollowUp.objects.get(therapy=every_other_day, kind="vaccination_review")
    app = web_as(nurse)
    assert "Kineret 100 mg every other day" in app.get(review.get_absolute_url()).text
    worklist = app.get(reverse("followups:worklist") + "?tab=week")
    assert "Kineret 100 mg every other day, since" in worklist.text


def test_the_patient_sees_their_own_interval_at_home_and_on_the_starter_page(
    web_as, patient_user, every_other_day
):
    app = web_as(patient_user)
    assert "Kineret 100 mg every other day" in app.get("/").text
    page = app.get(reverse("education:read", args=["what-to-expect"]))
    assert "100 mg every other day" in page.text
    assert "every day" not in page.text


def test_a_planned_course_is_shown_as_planned_to_the_patient(
    web_as, patient_user, signed_screening, clinician, today
):
    start = today + dt.timedelta(days=7)
    screening = signed_screening(planned_start=start.isoformat())
    services.start_therapy(
        screening=screening, actor=clinician, start_date=start, interval="daily", today=today
    )
    home = web_as(patient_user).get("/")
    assert f"Kineret is planned to start on {start:%A %-d %B %Y}: 100 mg once a day" in home.text
    assert "since" not in home.text.split("My Kineret", 1)[1].split("</section>", 1)[0]
