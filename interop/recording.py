"""The one place where a received count becomes a result on the patient's record.

It goes through ``followups.services.record_result``, the service behind the nurse's
result form, so the same checks, audit record and alert rules apply. If that service's signature
changes, this module is the only caller in ``interop`` to adapt.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from followups import services as followup_services
from followups.models import FollowUp, NeutrophilResult, due_cutoff, overdue_cutoff
from followups.planner import Kind

# Raised by the follow-up service when it refuses a result; the count goes to a nurse.
RecordingRefused = followup_services.TherapyError


def open_check_for(patient, sample_date: dt.date) -> FollowUp | None:
    """The open neutrophil check this sample completes: one that was due, and not yet overdue,
    on the sample's day (the clinic's one definition, followups.models), the nearest first."""
    checks = FollowUp.objects.open().filter(
        patient=patient,
        kind=Kind.NEUTROPHIL_COUNT,
        due_date__gte=overdue_cutoff(sample_date),
        due_date__lte=due_cutoff(sample_date),
    )
    return min(checks, key=lambda c: abs((c.due_date - sample_date).days), default=None)


def newest_of(result: NeutrophilResult) -> NeutrophilResult:
    """The latest correction in ``result``'s chain (a nurse may have corrected it since)."""
    while True:
        following = NeutrophilResult.objects.filter(supersedes=result).first()
        if following is None:
            return result
        result = following


def record_count(
    *,
    patient,
    actor,
    value: Decimal,
    sample_date: dt.date,
    lab: str,
    notes: str,
    supersedes: NeutrophilResult | None,
    today: dt.date,
) -> NeutrophilResult:
    followup = None if supersedes is not None else open_check_for(patient, sample_date)
    return followup_services.record_result(
        patient=patient,
        actor=actor,
        value=value,
        sample_date=sample_date,
        lab=lab[:120],
        notes=notes,
        followup=followup,
        supersedes=supersedes,
        today=today,
    )
