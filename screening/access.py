"""Screenings are reached only through their patient's access rules (patients.access)."""

from __future__ import annotations

from patients.access import get_patient_object_for
from screening.models import Screening


def get_screening_for(user, screening_uuid) -> Screening:
    related = Screening.objects.select_related("created_by", "signed_by", "supersedes")
    return get_patient_object_for(user, related, screening_uuid)
