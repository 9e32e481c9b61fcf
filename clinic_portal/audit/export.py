"""CSV export of the audit log for a date range and, optionally, one patient (clinic admins)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator

from django.utils import timezone

from clinic_portal.audit.models import AuditEvent

COLUMNS = [
    "occurred_at",
    "kind",
    "action",
    "actor",
    "role",
    "object_type",
    "object_id",
    "patient",
    "ip",
    "detail",
]


def events_between(start: dt.date, end: dt.date, patient_uuid=None):
    tz = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    events = AuditEvent.objects.filter(occurred_at__gte=since, occurred_at__lt=until).order_by(
        "occurred_at", "id"
    )
    if patient_uuid:
        events = events.filter(patient_uuid=patient_uuid)
    return events


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """The cell as text, with a leading ``'`` when a spreadsheet would read it as a formula.
    Email addresses such as ``=1+2@example.org`` are valid, so this is escaped on the way out."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_rows(events) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        value = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return value

    writer.writerow(COLUMNS)
    yield flush()
    for event in events.iterator(chunk_size=2000):
        writer.writerow(
            safe_cell(cell)
            for cell in [
                event.occurred_at.isoformat(),
                event.kind,
                event.action,
                event.actor_label,
                event.actor_role,
                event.object_type,
                event.object_id,
                event.patient_uuid or "",
                event.ip_address or "",
                event.detail,
            ]
        )
        yield flush()
