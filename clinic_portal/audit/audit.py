"""One-line helpers for writing the audit log.

``audit.record("patient.update", obj=patient, patient=patient, detail={...})`` in a service, and
``audit.record_read("patient.view", patients=[patient])`` in a view. The actor, IP address and
user agent come from the current request when there is one; Celery tasks and commands pass the
actor or leave it empty (a system event).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone

from clinic_portal.audit.models import AuditEvent
from clinic_portal.audit.request_context import current_request, pending_reads
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


@dataclass(frozen=True)
class PendingReads:
    """The read events of one ``record_read`` call: the columns they share, and whose record."""

    fields: dict[str, Any]
    patient_uuids: list


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
    uuids = [_patient_uuid(patient) for patient in patients]
    if not uuids:
        return
    reads = PendingReads(
        {
            "occurred_at": timezone.now(),
            "kind": Kind.READ,
            "action": action,
            "detail": detail or {},
            **_actor_fields(actor),
            **_object_fields(obj),
            **_request_origin(),
        },
        uuids,
    )
    batch = pending_reads.get()
    if batch is not None:
        batch.append(reads)
    else:
        write_reads([reads])


_READ_COLUMNS = (  # (field, PostgreSQL type of its array)
    ("occurred_at", "timestamptz"),
    ("kind", "text"),
    ("action", "text"),
    ("actor", "bigint"),
    ("actor_label", "text"),
    ("actor_role", "text"),
    ("object_type", "text"),
    ("object_id", "text"),
    ("ip_address", "inet"),
    ("user_agent", "text"),
    ("detail", "jsonb"),
    ("patient_uuid", "uuid"),
)


def write_reads(batches: list[PendingReads]) -> None:
    """Every pending read event in one INSERT. On PostgreSQL one array per column, unnested
    into rows: no model instance per row, and the same statement for one row or a hundred.
    Elsewhere (SQLite) Django's ``bulk_create``."""
    if not batches:
        return
    if connection.vendor != "postgresql":
        AuditEvent.objects.bulk_create(
            AuditEvent(**reads.fields, patient_uuid=patient_uuid)
            for reads in batches
            for patient_uuid in reads.patient_uuids
        )
        return
    columns: dict[str, list] = {name: [] for name, _ in _READ_COLUMNS}
    for reads in batches:
        shared = dict(reads.fields)
        actor = shared.pop("actor")
        shared["actor"] = actor.pk if actor is not None else None
        shared["detail"] = json.dumps(shared["detail"], cls=DjangoJSONEncoder)
        shared.setdefault("ip_address", None)
        shared.setdefault("user_agent", "")
        for name, pg_type in _READ_COLUMNS[:-1]:
            if pg_type == "text":  # plain text: psycopg would write an enum member's name
                shared[name] = str(shared[name])
        for patient_uuid in reads.patient_uuids:
            for name, _type in _READ_COLUMNS[:-1]:
                columns[name].append(shared[name])
            columns["patient_uuid"].append(patient_uuid)
    meta = AuditEvent._meta
    quote = connection.ops.quote_name
    fields = [cast(models.Field, meta.get_field(name)) for name, _ in _READ_COLUMNS]
    names = ", ".join(quote(field.column or field.name) for field in fields)
    arrays = ", ".join(f"%s::{pg_type}[]" for _, pg_type in _READ_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(meta.db_table)} ({names}) SELECT * FROM unnest({arrays})",
            [columns[name] for name, _ in _READ_COLUMNS],
        )


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
