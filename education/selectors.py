"""Reads for education: what a patient has, what they read, and who needs a nudge."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from education.models import (
    Assignment,
    ContentLanguage,
    Page,
    PageTranslation,
    PageVersion,
    Receipt,
)
from followups.models import TherapyCourse
from patients.models import Patient

UNREAD_AFTER_DAYS = 7


def content_language(code: str | None = None) -> str:
    """The page language for an interface language ("en-gb" -> "en"); the active one if None."""
    base = (code or translation.get_language() or "en").split("-")[0]
    return base if base in ContentLanguage.values else ContentLanguage.ENGLISH


@dataclass(frozen=True)
class Reading:
    """What a reader of one language sees of a page: its translation when one is published and
    translates the English page's current version; otherwise the English page, with a notice
    ("untranslated", or "out_of_date" while the translation catches up with a new English
    version: the English text may say something the translation does not yet)."""

    version: PageVersion | None  # None only for a page that was never published
    notice: str = ""


def reading_for(page: Page, language: str | None = None) -> Reading:
    language = content_language(language)
    if language == ContentLanguage.ENGLISH:
        return Reading(page.current_version)
    found = next((t for t in page.translations.all() if t.language == language), None)
    translated = found.current_version if found is not None else None
    if translated is None:
        return Reading(page.current_version, "untranslated")
    if translated.source_version_id != page.current_version_id:
        return Reading(page.current_version, "out_of_date")
    return Reading(translated)


def with_translations(pages, language: str):
    """Prefetch the one translation a reader of ``language`` may see (nothing for English)."""
    if language == ContentLanguage.ENGLISH:
        return pages
    return pages.prefetch_related(
        Prefetch(
            "translations",
            queryset=PageTranslation.objects.filter(language=language).select_related(
                "current_version"
            ),
        )
    )


@dataclass(frozen=True)
class Material:
    page: Page
    assigned: bool
    status: str  # new, opened, read, updated (acknowledged an older version)
    reading: Reading | None = None

    @property
    def version(self) -> PageVersion | None:
        """The version this reader sees (their language's, or the English one)."""
        return self.reading.version if self.reading else self.page.current_version

    @property
    def label(self) -> str:
        return {
            "new": _("New"),
            "opened": _("Opened, not yet confirmed"),
            "read": _("Read"),
            "updated": _("Updated since you read it"),
        }[self.status]


def _status(page: Page, kinds_by_version: dict[int, set[str]], versions: list[PageVersion]) -> str:
    current = page.current_version_id
    # The current English version, or a translation of it: reading either is reading the page.
    current_ids = {v.pk for v in versions if current in (v.pk, v.source_version_id)}
    version_ids = {v.pk for v in versions}
    if any("acknowledged" in kinds_by_version.get(v, set()) for v in current_ids):
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


def materials_for(patient, *, pages=None, language: str | None = None) -> list[Material]:
    """Assigned pages first (in the order assigned), then the rest of the library, each in the
    version a reader of ``language`` (the active language if None) sees."""
    language = content_language(language)
    pages = list(
        with_translations(
            (pages if pages is not None else Page.objects.for_patients())
            .select_related("current_version")
            # A list shows titles and summaries: not every version's text and HTML.
            .defer("current_version__body", "current_version__body_html")
            .prefetch_related(
                Prefetch(
                    "versions",
                    queryset=PageVersion.objects.only("id", "page", "source_version"),
                )
            ),
            language,
        )
    )
    assigned_ids = list(
        Assignment.objects.filter(patient=patient).values_list("page_id", flat=True)
    )
    kinds = _receipts(patient)
    materials = [
        Material(
            page,
            page.pk in assigned_ids,
            _status(page, kinds, list(page.versions.all())),
            reading_for(page, language),
        )
        for page in pages
    ]
    order = {page_id: index for index, page_id in enumerate(assigned_ids)}
    return sorted(materials, key=lambda m: (not m.assigned, order.get(m.page.pk, 0), m.page.title))


def assigned_for_staff(patient) -> list[Material]:
    pages = Page.objects.filter(assignments__patient=patient).exclude(current_version=None)
    return [
        m
        for m in materials_for(patient, pages=pages, language=patient.preferred_language)
        if m.assigned
    ]


def unread_essentials(now: dt.datetime | None = None):
    """Assignments of essential pages, older than a week, whose current version the patient
    has not acknowledged: the nurses' follow-up list."""
    now = now or timezone.now()
    acknowledged = Receipt.objects.filter(
        Q(version=OuterRef("page__current_version"))
        | Q(version__source_version=OuterRef("page__current_version")),
        patient=OuterRef("patient"),
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
