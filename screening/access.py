"""Screenings are reached only through their patient's access rules (patients.access)."""

from __future__ import annotations

import uuid

from django.http import Http404

from patients.access import visible_patients
from screening.models import Screening


def get_screening_for(user, screening_uuid) -> Screening:
    try:
        key = uuid.UUID(str(screening_uuid))
    except ValueError:
        raise Http404("No such screening.") from None
    screening = (
        Screening.objects.for_patients(visible_patients(user))
        .select_related("patient", "created_by", "signed_by", "supersedes")
        .filter(uuid=key)
        .first()
    )
    if screening is None:
        raise Http404("No such screening.")
    return screening
