from __future__ import annotations

import datetime as dt
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from clinic_portal.audit import audit, partitions
from clinic_portal.audit.models import AuditEvent


@transaction.atomic
def run_housekeeping(*, now: dt.datetime | None = None) -> dict:
    """Clear expired sessions, create the audit log's coming monthly partitions, and log a
    one-line summary of the last day's audit trail and of partitions due for archive."""
    now = now or timezone.now()
    today = now.astimezone(dt.UTC).date()
    created = partitions.ensure_months_ahead(today)
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    since = now - dt.timedelta(days=1)
    recent = AuditEvent.objects.filter(occurred_at__gte=since, occurred_at__lt=now)
    summary = {
        "since": since.isoformat(),
        "events": recent.count(),
        "failed_logins": recent.filter(action="auth.login_failed").count(),
        "reads": recent.filter(kind=AuditEvent.Kind.READ).count(),
    }
    if partitions.partitioned():
        summary["audit_partitions_created"] = created
        summary["audit_partitions_due_for_archive"] = partitions.partitions_due_for_archive(today)
        summary["audit_rows_without_a_month"] = partitions.rows_in_default_partition()
    audit.record("system.housekeeping", detail=summary, kind=AuditEvent.Kind.SYSTEM)
    return summary
