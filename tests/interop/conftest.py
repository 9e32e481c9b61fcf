from __future__ import annotations

import datetime as dt

import pytest

from followups.models import FollowUp
from tests.interop.hl7_fixtures import oru


@pytest.fixture
def lab_message(patient, today):
    """An ORU^R01 for the persona patient, sampled this morning; override any field."""

    def make(**changes):
        fields = {
            "mrn": patient.mrn,
            "family": patient.family_name,
            "given": patient.given_name,
            "dob": patient.date_of_birth.strftime("%Y%m%d"),
            "sampled": today.strftime("%Y%m%d") + "0005",
        }
        return oru(**(fields | changes))

    return make


@pytest.fixture
def check_due_today(therapy, today):
    """The first planned neutrophil count of the persona's therapy, moved to today."""
    check = (
        FollowUp.objects.filter(therapy=therapy, kind="neutrophil_count")
        .order_by("due_date")
        .first()
    )
    FollowUp.objects.filter(pk=check.pk).update(due_date=today - dt.timedelta(days=1))
    check.refresh_from_db()
    return check
