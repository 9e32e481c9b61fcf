"""Template tags for the treatment blocks that other apps' pages include with one line."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext

from clinic_portal.core.clock import clinic_today
from patients.models import Patient
from treatment import core, selectors
from treatment.models import AttentionItem

register = template.Library()


@register.simple_tag
def my_kineret_for(patient) -> selectors.MyKineret | None:
    """For the patient home, which already has the patient and shows the checks itself."""
    if not isinstance(patient, Patient) or patient.is_archived:
        return None
    return selectors.my_kineret(patient, clinic_today(), diary_days=7, with_checks=False)


@register.simple_tag
def open_attention_count(user) -> int:
    return AttentionItem.objects.open().filter(nurse=user).count()


@register.filter
def site_label(value: str) -> str:
    return gettext(core.SITE_LABELS[core.Site(value)]) if value else ""


@register.filter
def band_label(value: str) -> str:
    return gettext(core.CDAI_BAND_LABELS[core.CdaiBand(value)]) if value else ""


@register.filter
def cdai_chart(trend):
    from treatment.chart import cdai_chart as build

    return build(list(trend))


@register.filter
def translated(label: str) -> str:
    """One of the core's English labels (marked with gettext_noop there), in the page's language."""
    return gettext(label) if label else ""
