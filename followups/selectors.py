"""Reads for the nurse worklist, the patient record and the dashboards."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q

from followups.models import Alert, FollowUp, NeutrophilResult, TherapyCourse
from followups.status import CLOSED, OPEN
from patients.models import Patient
from patients.selectors import search

TABS = {
    "overdue": "Overdue",
    "week": "Due this week",
    "upcoming": "Upcoming (30 days)",
    "completed": "Recently completed",
}
KIND_FILTERS = {
    "blood": ["neutrophil_count"],
    "vaccination": ["vaccination_review", "influenza_vaccination"],
}


@dataclass(frozen=True)
class WorklistFilters:
    tab: str = "overdue"
    kind: str = ""
    clinician_id: int | None = None
    query: str = ""
    descending: bool = False


def _tab_conditions(today: dt.date) -> dict[str, Q]:
    grace = dt.timedelta(days=settings.CLINIC_FOLLOWUP_GRACE_DAYS)
    is_open = Q(status__in=OPEN)
    return {
        "overdue": is_open & Q(due_date__lt=today - grace),
        "week": is_open
        & Q(due_date__gte=today - grace, due_date__lte=today + dt.timedelta(days=7)),
        "upcoming": is_open
        & Q(due_date__gt=today + dt.timedelta(days=7), due_date__lte=today + dt.timedelta(days=30)),
        "completed": Q(status__in=CLOSED, closed_at__date__gte=today - dt.timedelta(days=14)),
    }


def _filtered(filters: WorklistFilters):
    followups = FollowUp.objects.filter(patient__archived_at__isnull=True)
    if filters.kind in KIND_FILTERS:
        followups = followups.filter(kind__in=KIND_FILTERS[filters.kind])
    if filters.clinician_id:
        followups = followups.filter(patient__responsible_clinician_id=filters.clinician_id)
    if filters.query.strip():
        followups = followups.filter(patient__in=search(Patient.objects.all(), filters.query))
    return followups


def worklist(filters: WorklistFilters, today: dt.date):
    conditions = _tab_conditions(today)
    base = _filtered(filters)
    counts = base.aggregate(
        **{tab: Count("id", filter=condition) for tab, condition in conditions.items()}
    )
    order = ("-due_date", "-id") if filters.descending else ("due_date", "id")
    rows = (
        base.filter(conditions.get(filters.tab, conditions["overdue"]))
        .select_related("patient", "patient__responsible_clinician")
        .order_by(*order)
    )
    return rows, counts


def summary_counts(today: dt.date) -> dict[str, int]:
    return worklist(WorklistFilters(), today)[1]


def next_checks(patient: Patient, limit: int = 5) -> list[FollowUp]:
    return list(FollowUp.objects.open().filter(patient=patient).order_by("due_date", "id")[:limit])


def active_therapy(patient: Patient) -> TherapyCourse | None:
    return patient.therapies.filter(stopped_on__isnull=True).select_related("screening").first()


def current_results(patient: Patient) -> list[NeutrophilResult]:
    """Each result that no correction has replaced, oldest first."""
    return list(
        NeutrophilResult.objects.filter(patient=patient, superseded_by__isnull=True)
        .select_related("recorded_by", "supersedes")
        .order_by("sample_date", "recorded_at")
    )


def open_alerts_for(clinician) -> list[Alert]:
    return list(
        Alert.objects.open()
        .filter(clinician=clinician, patient__archived_at__isnull=True)
        .select_related("patient")
        .order_by("-severity", "-created_at")[:20]
    )
