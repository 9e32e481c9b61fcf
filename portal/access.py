"""Patient reports are reached only through their patient's access rules."""

from __future__ import annotations

import uuid

from django.http import Http404

from patients.access import visible_patients
from portal.models import Concern


def get_concern_for(user, concern_uuid) -> Concern:
    try:
        key = uuid.UUID(str(concern_uuid))
    except ValueError:
        raise Http404("Not found.") from None
    concern = (
        Concern.objects.filter(patient__in=visible_patients(user), uuid=key)
        .select_related("patient")
        .first()
    )
    if concern is None:
        raise Http404("Not found.")
    return concern
