"""Reads for education: what a patient has, what they read, and who needs a nudge."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from education.models import Assignment, Page, Receipt
from followups.models import TherapyCourse
from patients.models import Patient

UNREAD_AFTER_DAYS = 7


@dataclass(frozen=True)
class Material:
    page: Page
    assigned: bool
    status: str  # new, opened, read, updated (acknowledged an older version)

    @property
    def label(self) -> str:
        return {
            "new": "New",
            "opened": "Opened, not yet confirmed",
            "read": "Read",
            "updated": "Updated since you read it",
        }[self.status]


def _status(page: Page, kinds_by_version: dict[int, set[str]], version_ids: set[int]) -> str:
    current = page.current_version_id
    if current is not None and "acknowledged" in kinds_by_version.get(current, set()):
        return "read"
    if any("acknowledged" in kinds_by_version.get(v, set()) for v in version_ids):
        return "updated"
    if any(kinds_by_version.get(v) for v in version_ids):
        return "opened"
    return "new"


def _receipts(patient) -> dict[int, set[str]]:
    kinds: dict[int, set[str]] = {}
    for version_id, kind in Receipt.objects.filter(patient=patient).values_list(
        "version_id", "kind"
    ):
        kinds.setdefault(version_id, set()).add(kind)
    return kinds


def materials_for(patient, *, pages=None) -> list[Material]:
    """Assigned pages first (in the order assigned), then the rest of the library."""
    pages = list(
        (pages or Page.objects.for_patients())
        .select_related("current_version")
        .prefetch_related("versions")
    )
    assigned_ids = list(
        Assignment.objects.filter(patient=patient).values_list("page_id", flat=True)
    )
    kinds = _receipts(patient)
    materials = [
        Material(
            page, page.pk in assigned_ids, _status(page, kinds, {v.pk for v in page.versions.all()})
        )
        for page in pages
    ]
    order = {page_id: index for index, page_id in enumerate(assigned_ids)}
    return sorted(materials, key=lambda m: (not m.assigned, order.get(m.page.pk, 0), m.page.title))


def assigned_for_staff(patient) -> list[Material]:
    pages = Page.objects.filter(assignments__patient=patient).exclude(current_version=None)
    return [m for m in materials_for(patient, pages=pages) if m.assigned]


def unread_essentials(now: dt.datetime | None = None):
    """Assignments of essential pages, older than a week, whose current version the patient
    has not acknowledged: the nurses' follow-up list."""
    now = now or timezone.now()
    acknowledged = Receipt.objects.filter(
        patient=OuterRef("patient"),
        version=OuterRef("page__current_version"),
        kind=Receipt.Kind.ACKNOWLEDGED,
    )
    return (
        Assignment.objects.filter(
            page__essential=True,
            page__archived_at__isnull=True,
            page__current_version__isnull=False,
            assigned_at__lte=now - dt.timedelta(days=UNREAD_AFTER_DAYS),
            patient__archived_at__isnull=True,
        )
        .exclude(Exists(acknowledged))
        .select_related("page", "patient", "patient__primary_nurse")
        .order_by("assigned_at")
    )


def search_pages(pages, query: str, *, prefix: str = ""):
    """Full-text search on PostgreSQL, a plain substring match on SQLite. ``prefix`` picks the
    text searched: the working copy (staff) or ``current_version__`` (what readers see)."""
    query = query.strip()[:200]
    if not query:
        return pages
    title, summary, body = (f"{prefix}title", f"{prefix}summary", f"{prefix}body")
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = (
            SearchVector(title, weight="A")
            + SearchVector(summary, weight="B")
            + SearchVector(body, weight="C")
        )
        search = SearchQuery(query, search_type="websearch")
        return pages.annotate(rank=SearchRank(vector, search)).filter(rank__gt=0).order_by("-rank")
    return pages.filter(
        Q(**{f"{title}__icontains": query})
        | Q(**{f"{summary}__icontains": query})
        | Q(**{f"{body}__icontains": query})
    )


def patients_in_group(group: str) -> QuerySet[Patient]:
    """The patients a bulk assignment reaches: every active patient, or only those with an
    ongoing (planned, on hold or active) Kineret course."""
    patients = Patient.objects.active()
    if group == "active_kineret":
        # Exists, not a join: a join on "stopped_on is null" also matches patients with no course.
        on_kineret = TherapyCourse.objects.ongoing().filter(patient=OuterRef("pk"))
        patients = patients.filter(Exists(on_kineret))
    return patients
