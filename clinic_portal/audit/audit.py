"""One-line helpers for writing the audit log.

``audit.record("patient.update", obj=patient, patient=patient, detail={...})`` in a service, and
``audit.record_read("patient.view", patients=[patient])`` in a view. The actor, IP address and
user agent come from the current request when there is one; Celery tasks and commands pass the
actor or leave it empty (a system event).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from clinic_portal.audit.middleware import current_request, pending_reads
from clinic_portal.audit.models import AuditEvent
from clinic_portal.client_ip import client_ip

Kind = AuditEvent.Kind


def _request_origin() -> dict[str, Any]:
    request = current_request.get()
    if request is None:
        return {}
    return {
        "ip_address": client_ip(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:256],
    }


def _actor_fields(actor) -> dict[str, Any]:
    if actor is None:
        request = current_request.get()
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
    if actor is None:
        return {"actor": None, "actor_label": "", "actor_role": ""}
    return {"actor": actor, "actor_label": actor.email, "actor_role": actor.role or ""}


def _object_fields(obj: models.Model | None) -> dict[str, str]:
    if obj is None:
        return {"object_type": "", "object_id": ""}
    public_id = getattr(obj, "uuid", None) or obj.pk
    return {"object_type": obj._meta.label_lower, "object_id": str(public_id)}


def _patient_uuid(patient) -> Any:
    if patient is None:
        return None
    return getattr(patient, "uuid", patient)


def _build(action, *, kind, actor, obj, patient, detail) -> AuditEvent:
    return AuditEvent(
        kind=kind,
        action=action,
        patient_uuid=_patient_uuid(patient),
        detail=detail or {},
        **_actor_fields(actor),
        **_object_fields(obj),
        **_request_origin(),
    )


def record(
    action: str,
    *,
    actor=None,
    obj: models.Model | None = None,
    patient=None,
    detail: dict | None = None,
    kind: str = Kind.WRITE,
) -> AuditEvent:
    """Write one event. Call it inside the service's transaction so both commit or neither does."""
    event = _build(action, kind=kind, actor=actor, obj=obj, patient=patient, detail=detail)
    event.save()
    return event


def record_read(
    action: str,
    *,
    patients: Iterable,
    obj: models.Model | None = None,
    actor=None,
    detail: dict | None = None,
) -> None:
    """One read event per patient shown. During a request the events of every call are written
    together in one INSERT when the view returns, before the response is sent
    (``RequestContextMiddleware``); elsewhere at once, in one INSERT per call."""
    events = [
        _build(action, kind=Kind.READ, actor=actor, obj=obj, patient=patient, detail=detail)
        for patient in patients
    ]
    batch = pending_reads.get()
    if batch is not None:
        batch.extend(events)
    elif events:
        AuditEvent.objects.bulk_create(events)


def record_many(
    action: str,
    *,
    patients: Iterable,
    obj: models.Model | None = None,
    actor=None,
    detail: dict | None = None,
    kind: str = Kind.WRITE,
) -> None:
    """One event per patient, in a single INSERT (reads of lists, bulk assignments)."""
    events = [
        _build(action, kind=kind, actor=actor, obj=obj, patient=patient, detail=detail)
        for patient in patients
    ]
    if events:
        AuditEvent.objects.bulk_create(events)
