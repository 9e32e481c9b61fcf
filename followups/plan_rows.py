"""Planned checks added to many courses at once, set-based, for the daily job.

The planner (pure) says which checks a course starting on a given day has; this writes them
for every matching course in one ``INSERT ... SELECT`` per batch of plan rows, adding only the
checks a course does not have yet (``NOT EXISTS`` on the plan's unique key, and ``ON CONFLICT
DO NOTHING`` for a second job running at the same moment), nor those someone moved to another day
(``rescheduled_from`` keeps the day a check was first planned for). No follow-up or course is loaded
into Python, so there is no Python work per course: PostgreSQL joins the
courses to the plan by start date (a hash join) and probes the unique index once per course.
Portable SQL (a ``WITH`` of ``VALUES`` rows), so it runs on SQLite in development too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import connection
from django.db.models import QuerySet
from django.db.models.functions import UUID4

from followups.models import FollowUp, TherapyCourse, status_for
from followups.planner import PlannedCheck

# Plan rows per statement: five parameters each, under PostgreSQL's 65,535 parameters (with
# server-side binding) and the database's own limit. Each statement reads the follow-ups once
# for its anti-join, so fewer is faster: one is enough for twenty years of daily start dates.
MAX_PLAN_ROWS = 10_000


def add_check_to_courses(
    courses: QuerySet[TherapyCourse], check: PlannedCheck, today: dt.date
) -> int:
    """``check`` for every course in ``courses`` that lacks it. Returns the number added."""
    return _insert(courses, [(None, check)], today, by_start_date=False)


def add_checks_by_start_date(
    courses: QuerySet[TherapyCourse], plan: Sequence[tuple[dt.date, PlannedCheck]], today: dt.date
) -> int:
    """Each ``(start, check)`` of ``plan`` for every course in ``courses`` that starts on
    ``start`` and lacks the check. Returns the number added."""
    limit = connection.features.max_query_params
    batch = min(MAX_PLAN_ROWS, limit // 5) if limit else MAX_PLAN_ROWS
    return sum(
        _insert(courses, plan[i : i + batch], today, by_start_date=True)
        for i in range(0, len(plan), batch)
    )


def _insert(
    courses: QuerySet[TherapyCourse],
    plan: Sequence[tuple[dt.date | None, PlannedCheck]],
    today: dt.date,
    *,
    by_start_date: bool,
) -> int:
    if not plan:
        return 0
    quote = connection.ops.quote_name
    table = quote(FollowUp._meta.db_table)
    compiler = FollowUp.objects.all().query.get_compiler(connection=connection)
    new_uuid, _ = compiler.compile(UUID4())
    source, source_params = (
        courses.order_by().values("id", "patient_id", "start_date").query.sql_with_params()
    )
    columns = ["start_date", "kind", "label", "due_date", "status"]
    params: list[object] = []
    for start, check in plan:
        params += [
            connection.ops.adapt_datefield_value(start),
            check.kind.value,
            check.label,
            connection.ops.adapt_datefield_value(check.due),
            status_for(check.due, today).value,
        ]
    if not by_start_date:
        columns, params = columns[1:], [p for i, p in enumerate(params) if i % 5]
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    on = "ON plan.start_date = c.start_date" if by_start_date else "ON 1 = 1"
    sql = (
        # The WITH inside the INSERT: Python's sqlite3 counts the rows of a statement only
        # when it begins with INSERT.
        f"INSERT INTO {table} (uuid, therapy_id, patient_id, kind, label, due_date, status, reason) "
        f"WITH plan ({', '.join(columns)}) AS (VALUES {', '.join([row] * len(plan))}) "
        f"SELECT {new_uuid}, c.id, c.patient_id, plan.kind, plan.label, plan.due_date, "
        f"plan.status, '' FROM ({source}) AS c JOIN plan {on} "
        f"WHERE NOT EXISTS (SELECT 1 FROM {table} AS f WHERE f.therapy_id = c.id "
        "AND f.kind = plan.kind AND f.due_date = plan.due_date) "
        # A check someone moved keeps the day it was planned for: not planned there again.
        f"AND NOT EXISTS (SELECT 1 FROM {table} AS m WHERE m.therapy_id = c.id "
        "AND m.kind = plan.kind AND m.rescheduled_from = plan.due_date) "
        "ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *source_params])
        return max(cursor.rowcount, 0)
