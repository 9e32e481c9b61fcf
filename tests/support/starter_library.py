"""Test support: put the eight starting pages back after a flush.

The data migration loads them once; browser tests run in transactions that end in a flush, which
removes them. Only tests need this, so it lives with the tests, not in the education services.
"""

from django.db import transaction

from education.content import starter_pages, starter_translations
from education.models import Page
from education.services import publish_page, publish_translation, save_translation


@transaction.atomic
def load_starter_library() -> int:
    """Publish the starting pages that are not there yet (as the data migration does)."""
    added = 0
    for spec in starter_pages():
        if Page.objects.filter(slug=spec.slug).exists():
            continue
        page = Page.objects.create(
            slug=spec.slug,
            title=spec.title,
            summary=spec.summary,
            body=spec.body,
            tags=spec.tags,
            essential=spec.essential,
            in_starter_pack=spec.starter,
        )
        publish_page(page=page, clinician=None)
        added += 1
    load_starter_translations()
    return added


@transaction.atomic
def load_starter_translations() -> int:
    """Publish the French and Spanish starting pages that are not there yet."""
    added = 0
    for spec in starter_translations():
        page = Page.objects.filter(slug=spec.slug, current_version__isnull=False).first()
        if page is None or page.translations.filter(language=spec.language).exists():
            continue
        translation = save_translation(
            page=page,
            language=spec.language,
            actor=None,
            title=spec.title,
            summary=spec.summary,
            body=spec.body,
        )
        publish_translation(translation=translation, clinician=None)
        added += 1
    return added
