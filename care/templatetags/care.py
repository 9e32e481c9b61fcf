"""The patient banner: what the patient, follow-up and screening apps know, at the top of every
staff page about one patient. ``{% load care %}``; the shared formats stay in ``clinic``."""

from __future__ import annotations

from django import template

from clinic_portal.core.clock import clinic_today
from followups.models import Alert
from followups.summary import latest_count, therapy_state

register = template.Library()


@register.inclusion_tag("includes/_patient_banner.html")
def patient_banner(patient, heading: bool = False):
    """Who this is, what they are allergic to, where they are with Kineret, their latest count
    and their open alerts: on every staff page about one patient (five small queries; one on
    the record, which loads the rest for its summary)."""
    today = clinic_today()
    return {
        "patient": patient,
        "heading": heading,
        "age": patient.age_on(today),
        "allergies": _allergies(patient),
        "therapy": therapy_state(patient, today),
        "count": _latest_count(patient),
        "alerts": list(
            Alert.objects.open().filter(patient=patient).order_by("-severity", "-created_at")[:5]
        ),
    }


def _latest_count(patient):
    latest = getattr(patient, "loaded_latest_counts", None)  # the record's summary, newest first
    if latest is not None:
        return latest[0] if latest else None
    return latest_count(patient)


def _allergies(patient) -> list:
    loaded = getattr(patient, "loaded_allergies", None)  # the record's summary
    return loaded if loaded is not None else list(patient.allergies.all())
