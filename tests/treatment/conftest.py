import datetime as dt

import pytest

from followups import services as followup_services
from followups.models import TherapyCourse
from treatment import services


@pytest.fixture
def started_days_ago(signed_screening, clinician, today):
    """A daily (or every-other-day) course that began ``days`` days ago."""

    def make(days=10, interval="daily", teach=True, nurse=None):
        therapy = followup_services.start_therapy(
            screening=signed_screening(),
            actor=clinician,
            start_date=today,
            interval=interval,
            override_reason="" if interval == "daily" else "Kidney function",
            today=today,
        )
        start = today - dt.timedelta(days=days)
        TherapyCourse.objects.filter(pk=therapy.pk).update(start_date=start)
        therapy.refresh_from_db()
        if teach:
            services.record_injection_teaching(
                therapy=therapy,
                nurse=nurse or therapy.patient.primary_nurse,
                taught_on=start,
                today=today,
            )
        return therapy

    return make


@pytest.fixture
def course(started_days_ago):
    return started_days_ago()
