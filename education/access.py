"""Who may read which education page: staff read every page; a patient only published pages
written for patients. Anything else is 404."""

from __future__ import annotations

import uuid

from django.http import Http404

from education.models import Page


def get_page_for_staff(page_uuid) -> Page:
    try:
        key = uuid.UUID(str(page_uuid))
    except ValueError:
        raise Http404("No such page.") from None
    page = Page.objects.select_related("current_version").filter(uuid=key).first()
    if page is None:
        raise Http404("No such page.")
    return page


def get_page_for_patient(slug: str) -> Page:
    page = Page.objects.for_patients().select_related("current_version").filter(slug=slug).first()
    if page is None:
        raise Http404("No such page.")
    return page
