"""A planned start put on hold by a low count, then postponed by the rheumatologist: through the
pages only, in Chromium."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from followups import services
from followups.models import TherapyCourse
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_low_count_holds_a_planned_start_and_the_rheumatologist_postpones_it(
    page, signed_screening, nurse, clinician, today
):
    start = today + dt.timedelta(days=7)
    screening = signed_screening(planned_start=start.isoformat())
    course = services.start_therapy(
        screening=screening, actor=clinician, start_date=start, interval="daily", today=today
    )
    patient = course.patient

    log_in(page, nurse)
    page.goto(patient.get_absolute_url())
    page.get_by_text(f"Kineret planned to start on {start:%-d %b %Y}", exact=True).wait_for()
    page.get_by_role("link", name="Record a count").click()
    page.get_by_label("Absolute neutrophil count").fill("0.8")
    page.get_by_label("Sample date").fill(today.isoformat())
    page.get_by_label("Laboratory").fill("City Hospital lab")
    page.get_by_role("button", name="Save result").click()
    page.get_by_text("The planned Kineret start is on hold").wait_for()
    page.goto("/")
    page.get_by_role("button", name="Log out").click()

    log_in(page, clinician)
    # The home lists the urgent alert with the patient's name (the staff home's alerts panel).
    page.get_by_role("link", name=re.compile(patient.full_name)).first.wait_for()
    page.goto(patient.get_absolute_url())
    page.get_by_text("On hold:", exact=True).wait_for()
    page.get_by_role("link", name="Postpone the start").click()
    new_start = today + dt.timedelta(days=21)
    page.get_by_label("New start date").fill(new_start.isoformat())
    page.get_by_label("Reason").fill("Repeat the count first; start once it is above 1.5.")
    page.get_by_role("button", name="Postpone the start").click()
    page.get_by_text(f"The start is moved to {new_start:%d %b %Y}").wait_for()
    page.get_by_text(f"Kineret planned to start on {new_start:%-d %b %Y}", exact=True).wait_for()
    assert not page.get_by_text("On hold:", exact=True).count()

    course = TherapyCourse.objects.get(pk=course.pk)
    assert course.start_date == new_start and not course.is_held
