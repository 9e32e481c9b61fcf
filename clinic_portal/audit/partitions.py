"""Monthly partitions of the audit log on PostgreSQL (migration 0004).

``ensure_months_ahead`` creates the coming months' partitions (the housekeeping task calls it);
``partitions_due_for_archive`` names the months older than the retention, which an operator
detaches and archives (docs/performance.md). Nothing here detaches or drops: the log is never
deleted by the application. ``oldest_month`` tells the newest-first reads (selectors.py) where
the monthly partitions begin. SQLite keeps a plain table, so every function is a no-op there.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connection, transaction

logger = logging.getLogger(__name__)
PREFIX = "audit_auditevent_p"
DEFAULT = "audit_auditevent_default"


def partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass('audit_auditevent')")
        row = cursor.fetchone()
    return bool(row) and row[0] == "p"


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def ensure_months_ahead(today: dt.date, months: int | None = None) -> list[str]:
    """Create this month's partition and the next ``months``; returns the names created."""
    if not partitioned():
        return []
    months = settings.CLINIC_AUDIT_MONTHS_AHEAD if months is None else months
    created = []
    for ahead in range(months + 1):
        month = add_months(today.replace(day=1), ahead)
        try:
            # A month whose rows already sit in the default partition cannot be created; that
            # is reported (rows_in_default_partition) and must not stop the rest.
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT audit_create_month_partition(%s)", [month])
                name = cursor.fetchone()[0]
        except DatabaseError:
            logger.exception("could not create the audit partition for %s", month)
            continue
        if name:
            created.append(name)
    if created:
        forget_oldest_month()
    return created


def monthly_partitions() -> list[tuple[str, dt.date]]:
    """(name, first day) of every attached monthly partition, oldest first."""
    if not partitioned():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'audit_auditevent'::regclass AND c.relname LIKE %s "
            "ORDER BY c.relname",
            [PREFIX + "%"],
        )
        names = [row[0] for row in cursor.fetchall()]
    return [(name, dt.datetime.strptime(name[len(PREFIX) :], "%Y_%m").date()) for name in names]


def partitions_due_for_archive(today: dt.date) -> list[str]:
    """Months that ended before the retention period began, oldest first."""
    years = settings.CLINIC_AUDIT_RETENTION_YEARS
    keep_from = add_months(today.replace(day=1), -12 * years)
    return [name for name, first in monthly_partitions() if add_months(first, 1) <= keep_from]


def rows_in_default_partition() -> int:
    """Rows whose month had no partition when written (housekeeping did not run ahead)."""
    if not partitioned():
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {DEFAULT} LIMIT 1000) AS rows")
        return cursor.fetchone()[0]


# The oldest monthly partition changes only when an operator archives or restores a month, so
# it is looked up at most every few minutes per process. The newest-first reads
# (selectors.newest_first) use it only to decide when to stop narrowing by month: a stale value
# costs a query or two, never a row.
OLDEST_MONTH_TTL = 600.0


@dataclass
class _OldestMonth:
    month: dt.date | None = None
    until: float = 0.0


_oldest = _OldestMonth()


def _lookup_oldest_month() -> dt.date | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT min(c.relname) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = to_regclass('audit_auditevent') AND c.relname LIKE %s",
            [PREFIX + "%"],
        )
        name = cursor.fetchone()[0]
    return dt.datetime.strptime(name[len(PREFIX) :], "%Y_%m").date() if name else None


def oldest_month() -> dt.date | None:
    """First day of the oldest monthly partition; None when the log is not partitioned."""
    now = time.monotonic()
    if now >= _oldest.until:
        _oldest.month = _lookup_oldest_month()
        _oldest.until = now + OLDEST_MONTH_TTL
    return _oldest.month


def forget_oldest_month() -> None:
    """Look the months up again on the next read (after creating or archiving partitions)."""
    _oldest.until = 0.0
