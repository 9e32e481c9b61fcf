"""Patient reports are reached only through their patient's access rules."""

from __future__ import annotations

from patients.access import get_patient_object_for
from portal.models import Concern


def get_concern_for(user, concern_uuid) -> Concern:
    return get_patient_object_for(user, Concern.objects.all(), concern_uuid)
