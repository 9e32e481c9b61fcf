"""Reads of the audit log that stop at a page: newest months first (issue 21, 50 million rows).

A query on the partitioned log that names no month is planned against every monthly partition
(about a hundred after eight years, each with its indexes), and because the default partition
could hold any month, PostgreSQL merges an index scan of every one of them even to return the
first fifty rows. At 50 million rows that planning, not the rows, was most of the cost of "who
saw my record" and the patient timeline.

``newest_first`` asks for last month onwards first, then for older months in windows sized
from the rows seen so far (or four times as far back when none were), each query naming its
months so that PostgreSQL plans and reads only those partitions, and stops as soon as it has
the rows asked for. The last window has no
lower bound, so a row older than every monthly partition (it would sit in the default one) is
still found: which months exist only decides how soon the walk gives up, never what it returns.
SQLite and an unpartitioned table get the one plain query.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from clinic_portal.audit.partitions import add_months, oldest_month


def _utc(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def newest_first(queryset: QuerySet, limit: int, offset: int = 0) -> list:
    """Up to ``limit`` rows of ``queryset`` after skipping ``offset``, newest first.

    ``queryset`` must be ordered newest first by ``occurred_at`` (then ``id``). Fewer than
    ``limit`` rows means the log holds no more (unless ``offset`` went past the end, when the
    list is empty)."""
    oldest = oldest_month()
    if oldest is None:
        return list(queryset[offset : offset + limit])
    rows: list = []
    skip, need = offset, limit
    upper: dt.date | None = None
    # First last month onwards (this month alone is nearly empty on its first days).
    lower = add_months(timezone.now().astimezone(dt.UTC).date().replace(day=1), -1)
    months, seen = 2, 0  # how far back the walk has read, and how many rows it passed there
    while True:
        last = lower <= oldest
        window = queryset if last else queryset.filter(occurred_at__gte=_utc(lower))
        if upper is not None:
            window = window.filter(occurred_at__lt=_utc(upper))
        found = list(window[skip : skip + need])
        if found:
            seen += skip + len(found)
            skip = 0
        elif skip:
            passed = window.order_by()[:skip].count()
            seen += passed
            skip -= passed
        rows += found
        need -= len(found)
        if need <= 0 or last:
            return rows
        # The next window: as many months as the rows still wanted should take at the rate
        # seen so far (with a margin), or four times as far back when nothing was seen yet.
        span = -(-(skip + need) * months * 5 // (4 * seen)) if seen else 4 * months
        upper, lower = lower, add_months(lower, -max(span, 1))
        months += max(span, 1)
