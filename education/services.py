"""Writes for education pages, assignments and receipts."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy

from clinic_portal.audit import audit
from education.models import (
    TRANSLATION_LANGUAGES,
    Assignment,
    ContentLanguage,
    Page,
    PageTranslation,
    PageVersion,
    Receipt,
)
from education.rendering import reading_minutes, render_markdown


class PublishingError(Exception):
    pass


class AssignmentRefused(PublishingError):
    pass


def is_assignable(page: Page) -> bool:
    """Patients are given published pages written for them, never drafts or staff pages."""
    return page.state == "published" and page.audience == Page.Audience.PATIENTS


class DraftChanged(PublishingError):
    def __init__(self):
        super().__init__(
            gettext_lazy(
                "This draft changed since you opened it. Read the changes below, then publish again."
            )
        )


@transaction.atomic
def create_page(*, actor, **fields) -> Page:
    page = Page.objects.create(
        created_by=actor, **{k: v for k, v in fields.items() if k in Page.DRAFT_FIELDS}
    )
    audit.record("education.page.create", actor=actor, obj=page, detail={"slug": page.slug})
    return page


@transaction.atomic
def update_draft(*, page: Page, actor, **fields) -> Page:
    for name, value in fields.items():
        if name in Page.DRAFT_FIELDS:
            setattr(page, name, value)
    page.updated_at = timezone.now()
    # Only the working copy: publishing and archiving write their own columns.
    page.save(update_fields=[*(name for name in fields if name in Page.DRAFT_FIELDS), "updated_at"])
    audit.record("education.page.edit", actor=actor, obj=page, detail={"slug": page.slug})
    return page


@transaction.atomic
def publish_page(*, page: Page, clinician, opened_version=None) -> PageVersion:
    """Freeze the working copy as a new version that readers see from now on.

    ``opened_version`` is the draft's ``updated_at`` when the publisher opened it; a draft
    edited since then is refused (``DraftChanged``), so nobody publishes words they never saw.
    """
    current = Page.objects.select_for_update().get(pk=page.pk)
    if opened_version is not None and current.updated_at != opened_version:
        raise DraftChanged
    if not current.has_unpublished_changes:
        raise PublishingError(gettext_lazy("Nothing has changed since the last published version."))
    number = (
        current.versions.filter(language=ContentLanguage.ENGLISH).aggregate(n=Max("number"))["n"]
        or 0
    ) + 1
    version = PageVersion.objects.create(
        page=current,
        number=number,
        title=current.title,
        summary=current.summary,
        body=current.body,
        body_html=render_markdown(current.body),
        tags=current.tags,
        reading_minutes=reading_minutes(current.body),
        published_by=clinician,
    )
    Page.objects.filter(pk=current.pk).update(
        current_version=version,
        archived_at=None,
        review_requested_at=None,
        review_requested_by=None,
    )
    audit.record("education.page.publish", actor=clinician, obj=current, detail={"version": number})
    return version


@transaction.atomic
def save_translation(*, page: Page, language: str, actor, **fields) -> PageTranslation:
    """Create or edit the working copy of a page's translation."""
    if language not in TRANSLATION_LANGUAGES:
        raise PublishingError(gettext_lazy("Pages are translated into French and Spanish only."))
    values = {k: v for k, v in fields.items() if k in PageTranslation.DRAFT_FIELDS}
    translation, created = PageTranslation.objects.get_or_create(
        page=page, language=language, defaults={**values, "created_by": actor}
    )
    if not created:
        for name, value in values.items():
            setattr(translation, name, value)
        translation.updated_at = timezone.now()
        translation.save(update_fields=[*values, "updated_at"])
    audit.record(
        "education.translation.edit",
        actor=actor,
        obj=page,
        detail={"slug": page.slug, "language": language},
    )
    return translation


@transaction.atomic
def publish_translation(
    *, translation: PageTranslation, clinician, opened_version=None
) -> PageVersion:
    """Freeze a translation's working copy as its language's next version, recorded as a
    translation of the English page's current version (which makes it current again)."""
    current = (
        PageTranslation.objects.select_for_update().select_related("page").get(pk=translation.pk)
    )
    page = current.page
    if opened_version is not None and current.updated_at != opened_version:
        raise DraftChanged
    if page.current_version_id is None:
        raise PublishingError(gettext_lazy("Publish the English page before its translations."))
    latest = current.current_version
    if (
        latest
        and (latest.title, latest.summary, latest.body)
        == (current.title, current.summary, current.body)
        and latest.source_version_id == page.current_version_id
    ):
        raise PublishingError(gettext_lazy("Nothing has changed since the last published version."))
    number = (
        page.versions.filter(language=current.language).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    version = PageVersion.objects.create(
        page=page,
        language=current.language,
        source_version_id=page.current_version_id,
        number=number,
        title=current.title,
        summary=current.summary,
        body=current.body,
        body_html=render_markdown(current.body),
        tags=page.tags,
        reading_minutes=reading_minutes(current.body),
        published_by=clinician,
    )
    PageTranslation.objects.filter(pk=current.pk).update(current_version=version)
    audit.record(
        "education.translation.publish",
        actor=clinician,
        obj=page,
        detail={"language": current.language, "version": number},
    )
    return version


@transaction.atomic
def request_review(*, page: Page, actor) -> bool:
    """Mark the draft "ready for review": it shows on the rheumatologists' homes until one of
    them publishes it. Asking twice changes nothing."""
    updated = Page.objects.filter(pk=page.pk, review_requested_at__isnull=True).update(
        review_requested_at=timezone.now(), review_requested_by=actor
    )
    if updated:
        audit.record("education.page.review_requested", actor=actor, obj=page)
    return bool(updated)


@transaction.atomic
def archive_page(*, page: Page, actor) -> None:
    Page.objects.filter(pk=page.pk, archived_at__isnull=True).update(archived_at=timezone.now())
    audit.record("education.page.archive", actor=actor, obj=page)


@transaction.atomic
def assign_pages(
    *, pages: Iterable[Page], patients: Iterable, actor, source: str = "manual"
) -> int:
    """Assign each page to each patient once; assigning again changes nothing. Only a published
    page written for patients is assigned: anything else is refused whole."""
    pages, patients = list(pages), list(patients)
    if any(not is_assignable(page) for page in pages):
        raise AssignmentRefused(gettext_lazy("Publish a patient page before assigning it."))
    before = Assignment.objects.filter(page__in=pages, patient__in=patients).count()
    Assignment.objects.bulk_create(
        [
            Assignment(page=page, patient=patient, assigned_by=actor, source=source)
            for page in pages
            for patient in patients
        ],
        ignore_conflicts=True,
    )
    added = Assignment.objects.filter(page__in=pages, patient__in=patients).count() - before
    if added:
        audit.record_many(
            "education.assign",
            patients=patients,
            actor=actor,
            detail={"pages": [page.slug for page in pages], "source": source},
        )
    return added


def assign_starter_pack(*, patient, actor) -> int:
    """Called by the therapy start service, inside its transaction."""
    pages = Page.objects.for_patients().filter(in_starter_pack=True)
    return assign_pages(pages=pages, patients=[patient], actor=actor, source="starter_pack")


@transaction.atomic
def record_view(*, patient, version: PageVersion) -> bool:
    _, created = Receipt.objects.get_or_create(
        patient=patient, version=version, kind=Receipt.Kind.VIEWED
    )
    if created:
        audit.record(
            "education.viewed",
            obj=version.page,
            patient=patient,
            detail={"version": version.number},
        )
    return created


@transaction.atomic
def acknowledge(*, patient, version: PageVersion) -> bool:
    Receipt.objects.get_or_create(patient=patient, version=version, kind=Receipt.Kind.VIEWED)
    _, created = Receipt.objects.get_or_create(
        patient=patient, version=version, kind=Receipt.Kind.ACKNOWLEDGED
    )
    if created:
        audit.record(
            "education.acknowledged",
            obj=version.page,
            patient=patient,
            detail={"version": version.number},
        )
    return created
