"""Reads for the nurse worklist, the patient record and the dashboards."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy

from clinic_portal.core.clock import start_of_day
from clinic_portal.core.pagination import CappedCount, capped_counts
from followups.models import Alert, FollowUp, NeutrophilResult, TherapyCourse, overdue_cutoff
from followups.status import CLOSED, OPEN
from patients.models import Patient
from patients.selectors import search

TABS = {
    "overdue": gettext_lazy("Overdue"),
    "week": gettext_lazy("Due this week"),
    "upcoming": gettext_lazy("Upcoming (30 days)"),
    "completed": gettext_lazy("Recently completed"),
}
COMPLETED_WINDOW = dt.timedelta(days=14)
# Tab badges say "99+" past this: the nurse needs "a lot", and counting stays a page's work.
TAB_COUNT_CAP = 99
# The worklist's "Kind" filter: one option for each kind of check the worklist shows.
KIND_FILTERS = {
    "blood": ["neutrophil_count"],
    "vaccination": ["vaccination_review", "influenza_vaccination"],
    "teaching": ["injection_teaching"],
    "review": ["response_review"],
}
KIND_FILTER_LABELS = {
    "blood": gettext_lazy("Blood tests"),
    "vaccination": gettext_lazy("Vaccinations"),
    "teaching": gettext_lazy("Injection teaching"),
    "review": gettext_lazy("Response reviews"),
}


@dataclass(frozen=True)
class WorklistFilters:
    tab: str = "overdue"
    kind: str = ""
    clinician_id: int | None = None
    query: str = ""
    order: str = ""  # "asc", "desc", or "" for the tab's usual order

    @property
    def descending(self) -> bool:
        """Open checks come earliest due first; finished ones most recently closed first."""
        if self.order in ("asc", "desc"):
            return self.order == "desc"
        return self.tab == "completed"


def _tab_conditions(today: dt.date) -> dict[str, Q]:
    overdue_before = overdue_cutoff(today)
    is_open = Q(status__in=OPEN)
    return {
        "overdue": is_open & Q(due_date__lt=overdue_before),
        "week": is_open
        & Q(due_date__gte=overdue_before, due_date__lte=today + dt.timedelta(days=7)),
        "upcoming": is_open
        & Q(due_date__gt=today + dt.timedelta(days=7), due_date__lte=today + dt.timedelta(days=30)),
        # A range on the stored instant (not ``closed_at__date``), so the index can serve it.
        "completed": Q(status__in=CLOSED, closed_at__gte=start_of_day(today - COMPLETED_WINDOW)),
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


def _order(tab: str, descending: bool) -> tuple[str, ...]:
    field = "closed_at" if tab == "completed" else "due_date"
    return (f"-{field}", "-id") if descending else (field, "id")


def worklist(filters: WorklistFilters, today: dt.date):
    """The rows of the chosen tab, and every tab's count up to ``TAB_COUNT_CAP``: bounded work
    whatever the size of the clinic. Each tab is read (and counted) in the order of its partial
    index, so the database stops after a page."""
    conditions = _tab_conditions(today)
    base = _filtered(filters)
    counts = capped_counts(
        {
            tab: base.filter(condition).order_by(*_order(tab, descending=False))
            for tab, condition in conditions.items()
        },
        cap=TAB_COUNT_CAP,
    )
    rows = (
        base.filter(conditions[filters.tab])
        .select_related("patient", "patient__responsible_clinician", "therapy")
        .order_by(*_order(filters.tab, filters.descending))
    )
    return rows, counts


def summary_counts(today: dt.date) -> dict[str, CappedCount]:
    return worklist(WorklistFilters(), today)[1]


def next_checks(patient: Patient, limit: int = 5) -> list[FollowUp]:
    return list(FollowUp.objects.open().filter(patient=patient).order_by("due_date", "id")[:limit])


def ongoing_course(patient: Patient) -> TherapyCourse | None:
    """The patient's ongoing course: planned, on hold or active (see ``TherapyCourse.state_on``)."""
    loaded = getattr(patient, "loaded_courses", None)  # the record page loads them once
    if loaded is not None:
        return next((course for course in loaded if course.is_ongoing), None)
    return (
        TherapyCourse.objects.ongoing().filter(patient=patient).select_related("screening").first()
    )


def current_results(patient: Patient) -> list[NeutrophilResult]:
    """Each result that no correction has replaced, oldest first."""
    loaded = getattr(patient, "loaded_current_results", None)  # the record page loads them once
    if loaded is not None:
        return list(loaded)
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


def nurse_day(today: dt.date, limit: int = 8) -> dict[str, list[FollowUp]]:
    """The nurse's home: open checks due today, overdue, and the rest of this week, each the
    first ``limit`` by due date (the worklist has them all)."""
    conditions = _tab_conditions(today)
    base = FollowUp.objects.filter(patient__archived_at__isnull=True).select_related("patient")
    return {
        "today": list(base.filter(status__in=OPEN, due_date=today).order_by("id")[:limit]),
        "overdue": list(base.filter(conditions["overdue"]).order_by("due_date", "id")[:limit]),
        "week": list(
            base.filter(conditions["week"])
            .exclude(due_date=today)
            .order_by("due_date", "id")[:limit]
        ),
    }
