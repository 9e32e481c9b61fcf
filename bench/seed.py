"""Synthetic data at scale for benchmarks: `python bench/seed.py --patients 20000`.

Inserts patients (with their accounts), signed screenings, therapy courses with their real
monitoring plans (statuses spread over past and future), results, vaccinations, concerns,
education assignments and receipts, and audit events. Every name is synthetic. Meant for a scratch
PostgreSQL database (DATABASE_URL); it refuses to run against one that has non-bench patients.

Every table is filled set-based, a chunk of patients per transaction: one ``INSERT ... SELECT``
per table, with PostgreSQL's ``random()`` (seeded by ``setseed``) choosing what Python's random
module chose row by row before, so 200,000 patients take minutes, not half an hour. The
follow-ups are the real plans: ``followups.planner.plan_monitoring`` runs once for each start
date in the seeded range, and its checks are joined to the courses by start date. A column the
statements below do not name gets its model default (``insert_select``), so a new column with a
default needs no change here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_portal.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from clinic_portal.accounts.models import User  # noqa: E402
from clinic_portal.accounts.roles import Role  # noqa: E402
from clinic_portal.audit.models import AuditEvent  # noqa: E402
from clinic_portal.core.clock import clinic_today  # noqa: E402
from education.models import Assignment, Page, Receipt  # noqa: E402
from followups.daily import PLAN_HORIZON_DAYS  # noqa: E402
from followups.models import FollowUp, NeutrophilResult, TherapyCourse, Vaccination  # noqa: E402
from followups.planner import NEUTROPHIL_MONTHS, plan_monitoring  # noqa: E402
from followups.status import Status, open_status  # noqa: E402
from patients.models import Patient  # noqa: E402
from portal.models import Concern  # noqa: E402
from screening.engine.dates import add_months  # noqa: E402
from screening.models import Screening  # noqa: E402

CHUNK = 50_000  # patients per transaction
START_DAYS = 400  # courses started 0 to 399 days ago
CLEAR_RESULT = {
    "outcome": "clear",
    "contraindications": [],
    "review_items": [],
    "missing": [],
    "dosing": "daily",
    "earliest_start": None,
    "policy": "strict",
    "rule_set": "kineret-2026.1",
    "reasons": [],
}
AUDIT_TRAIL = [  # what a typical record's log holds: its enrolment, then people reading it
    ("write", "patient.enroll", "clinician"),
    ("read", "patient.view", "clinician"),
    ("read", "patient.view", "nurse"),
    ("read", "followup.worklist", "nurse"),
    ("read", "screening.view", "clinician"),
]
GIVEN = ["Alex", "Sam", "Jo", "Robin", "Kim", "Lee", "Ari", "Noor", "Eli", "Mika"]
FAMILY = ["Berg", "Okafor", "Lind", "Moreau", "Quinn", "Sato", "Varga", "Weiss", "Young", "Zell"]


def progress(label: str, done: int, total: int, started: float) -> None:
    print(f"\r{label}: {done}/{total} ({time.monotonic() - started:.1f} s)", end="", flush=True)
    if done >= total:
        print()


class Timings:
    """Seconds spent on each table, summed over the chunks."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.rows: dict[str, int] = {}

    def run(self, label: str, sql: str, params=()) -> int:
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            count = cursor.rowcount
        self.seconds[label] = self.seconds.get(label, 0.0) + time.monotonic() - started
        self.rows[label] = self.rows.get(label, 0) + max(count, 0)
        return count

    def report(self) -> str:
        return "\n".join(
            f"  {label:<22} {self.rows.get(label, 0):>10,} rows {seconds:7.1f} s"
            for label, seconds in self.seconds.items()
        )


def insert_select(model: type[models.Model], values: dict[str, str], source: str) -> str:
    """``INSERT INTO <table> (...) SELECT ... <source>`` naming every column but the key: those
    in ``values`` take their SQL expression, the others their model default (a new UUID, now, an
    empty JSON object, a constant), NULL when nullable, or '' for a text field without one."""
    columns, exprs = [], []
    given = dict(values)
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.column in given:
            exprs.append(given.pop(field.column))
        elif field.has_default():
            exprs.append(_default_sql(field))
        elif field.null:
            exprs.append("NULL")
        elif isinstance(field, models.CharField | models.TextField):
            exprs.append("''")
        else:
            raise ValueError(f"{model.__name__}.{field.name}: no value and no default")
    if given:
        raise ValueError(f"{model.__name__}: unknown columns {sorted(given)}")
    return (
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
        f"SELECT {', '.join(exprs)} {source}"
    )


def _default_sql(field: models.Field) -> str:
    default = field.default
    if default is uuid.uuid4:
        return "gen_random_uuid()"
    if default is timezone.now:
        return "now()"
    if default is dict:
        return "'{}'::jsonb"
    value = default() if callable(default) else default
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise ValueError(f"{field.model.__name__}.{field.name}: no SQL for its default {default!r}")


def _array(values) -> str:
    return "ARRAY[" + ", ".join("'" + str(v).replace("'", "''") + "'" for v in values) + "]"


def seed(patients: int, seed_value: int = 7) -> None:
    if connection.vendor != "postgresql":
        sys.exit("bench/seed.py needs PostgreSQL (DATABASE_URL).")
    today = clinic_today()
    if Patient.objects.exclude(mrn__startswith="BENCH").exists():
        sys.exit("This database holds real (non-bench) patients; use a scratch database.")
    clinicians = [
        User.objects.get_or_create(
            email=f"bench-clinician{i}@bench.invalid",
            defaults={"full_name": f"Dr Bench {i}", "role": Role.CLINICIAN},
        )[0].pk
        for i in range(5)
    ]
    timings = Timings()
    start = Patient.objects.filter(mrn__startswith="BENCH").count()
    started = time.monotonic()
    with connection.cursor() as cursor:
        # A scratch database: a crash loses at most the last chunk, which a re-run writes again.
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET work_mem = '64MB'")
    _plans(today)
    for offset in range(start, patients, CHUNK):
        count = min(CHUNK, patients - offset)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT setseed(%s)", [((seed_value + offset) % 1000) / 1000])
            _chunk(offset, offset + count, clinicians, today, timings)
        progress("patients", offset + count, patients, started)
    # Fresh statistics: without them PostgreSQL plans the daily job's count as a nested loop
    # over the new rows (measured: 87 s instead of 0.1 s at 20,000 patients).
    analyzed = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    timings.seconds["analyze"] = time.monotonic() - analyzed
    print(timings.report())
    print(f"seeded in {time.monotonic() - started:.1f} s")


def _plans(today: dt.date) -> None:
    """A temporary table of the real monitoring plan of a course starting on each day of the
    seeded range, with each open check's status today: the follow-ups join it by start date.
    Each plan reaches as far ahead as the daily job keeps it (a year of flu seasons and
    response reviews), as in a clinic where the job has run every day: the bench then times an
    ordinary day's job, not a first run that plans a year for every course at once."""
    until = today + dt.timedelta(days=PLAN_HORIZON_DAYS)
    rows = []
    for days in range(START_DAYS):
        start = today - dt.timedelta(days=days)
        for check in plan_monitoring(
            start=start,
            anc_sampled_on=None,
            flu_season=settings.CLINIC_FLU_SEASON_START,
            until=max(until, add_months(start, NEUTROPHIL_MONTHS[-1])),
            review_weeks=settings.CLINIC_RESPONSE_REVIEW_WEEKS,
            review_every_months=settings.CLINIC_RESPONSE_REVIEW_EVERY_MONTHS,
        ):
            status = open_status(check.due, today, due_window_days=7, grace_days=7)
            rows.append((start, check.kind.value, check.label, check.due, status.value))
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_plan (start_date date, kind text, label text, "
            "due_date date, open_status text)"
        )
        cursor.executemany("INSERT INTO bench_plan VALUES (%s, %s, %s, %s, %s)", rows)
        cursor.execute("CREATE INDEX ON bench_plan (start_date)")
        cursor.execute("ANALYZE bench_plan")


def _chunk(first: int, end: int, clinicians: list[int], today: dt.date, t: Timings) -> None:
    """Patients ``first`` to ``end - 1`` and everything of theirs. The rows of this chunk are
    found by their record numbers (``BENCH0000123``), which sort in patient order."""
    mrn_range = f"p.mrn BETWEEN 'BENCH{first:07d}' AND 'BENCH{end - 1:07d}'"
    now = timezone.now()
    t.run(
        "users",
        insert_select(
            User,
            {
                "email": "'bench' || n || '@bench.invalid'",
                "full_name": "'Bench ' || n",
                "role": f"'{Role.PATIENT.value}'",
                "is_active": "false",
                "password": "'!'",
            },
            "FROM generate_series(%s, %s) AS n",
        ),
        [first, end - 1],
    )
    t.run(
        "patients",
        insert_select(
            Patient,
            {
                "user_id": "u.id",
                "given_name": f"({_array(GIVEN)})[1 + floor(random() * {len(GIVEN)})::int]",
                "family_name": f"({_array(FAMILY)})[1 + floor(random() * {len(FAMILY)})::int]"
                " || (n %% 997)",
                "date_of_birth": "date '1940-01-01' + floor(random() * 20000)::int",
                "sex": "(ARRAY['female', 'male'])[1 + floor(random() * 2)::int]",
                "mrn": "'BENCH' || lpad(n::text, 7, '0')",
                "responsible_clinician_id": f"(ARRAY{clinicians}::bigint[])"
                f"[1 + floor(random() * {len(clinicians)})::int]",
            },
            "FROM generate_series(%s, %s) AS n "
            "JOIN accounts_user u ON u.email = 'bench' || n || '@bench.invalid'",
        ),
        [first, end - 1],
    )
    # Nine in ten are on therapy: a signed clear screening and a course begun in the last 400
    # days.
    t.run(
        "screenings",
        insert_select(
            Screening,
            {
                "patient_id": "p.id",
                "created_by_id": "p.responsible_clinician_id",
                "policy": "'strict'",
                "answers": "'{}'::jsonb",
                "result": "%s::jsonb",
                "outcome": "'clear'",
                "rule_set": "'kineret-2026.1'",
                "signed_by_id": "p.responsible_clinician_id",
                "signed_at": "%s",
                "decision": "'eligible'",
            },
            f"FROM patients_patient p WHERE {mrn_range} AND random() < 0.9",
        ),
        [json.dumps(CLEAR_RESULT), now],
    )
    chunk_screenings = (
        f"FROM screening_screening s JOIN patients_patient p ON p.id = s.patient_id "
        f"WHERE {mrn_range}"
    )
    t.run(
        "therapy courses",
        insert_select(
            TherapyCourse,
            {
                "patient_id": "s.patient_id",
                "screening_id": "s.id",
                "start_date": f"%s::date - floor(random() * {START_DAYS})::int",
                "interval": "'daily'",
                "started_by_id": "s.signed_by_id",
            },
            chunk_screenings,
        ),
        [today],
    )
    chunk_courses = (
        f"FROM followups_therapycourse c JOIN patients_patient p ON p.id = c.patient_id "
        f"WHERE {mrn_range}"
    )
    # Each course's plan; a check past its date was done (on the day or up to three days late,
    # never after today, between 8:00 and 17:00) four times in five, else it is open with the
    # status its date gives it today. OFFSET 0 keeps each row's random() its own.
    t.run(
        "follow-ups",
        insert_select(
            FollowUp,
            {
                "therapy_id": "x.course_id",
                "patient_id": "x.patient_id",
                "kind": "x.kind",
                "label": "x.label",
                "due_date": "x.due_date",
                "status": f"CASE WHEN x.done THEN '{Status.COMPLETED.value}' "
                "ELSE x.open_status END",
                "closed_at": "CASE WHEN x.done THEN "
                "(least(x.due_date + floor(x.r_day * 4)::int, %s::date)::timestamp "
                "+ make_interval(hours => 8 + floor(x.r_hour * 10)::int)) AT TIME ZONE %s END",
            },
            "FROM (SELECT c.id AS course_id, c.patient_id, plan.kind, plan.label, "
            "plan.due_date, plan.open_status, "
            "plan.due_date < %s::date AND random() < 0.8 AS done, "
            "random() AS r_day, random() AS r_hour "
            "FROM followups_therapycourse c JOIN patients_patient p ON p.id = c.patient_id "
            f"JOIN bench_plan plan ON plan.start_date = c.start_date WHERE {mrn_range} "
            "OFFSET 0) AS x",
        ),
        [today, settings.TIME_ZONE, today],
    )
    t.run(
        "neutrophil results",
        insert_select(
            NeutrophilResult,
            {
                "patient_id": "c.patient_id",
                "therapy_id": "c.id",
                "value": "round((0.8 + random() * 5.2)::numeric, 2)",
                "sample_date": "c.start_date",
                "lab": "'Bench lab'",
                "recorded_by_id": "c.started_by_id",
            },
            chunk_courses,
        ),
    )
    # About a third had this season's inactivated flu vaccine recorded.
    t.run(
        "vaccinations",
        insert_select(
            Vaccination,
            {
                "patient_id": "c.patient_id",
                "therapy_id": "c.id",
                "name": "'Influenza (inactivated)'",
                "catalogue_name": "'influenza inactivated'",
                "live": "false",
                "given_on": "%s::date - (1 + floor(random() * 59)::int)",
                "recorded_by_id": "c.started_by_id",
            },
            f"{chunk_courses} AND random() < 0.35",
        ),
        [today],
    )
    # One patient in ten has reported something; most of it is closed.
    categories = list(Concern.Category.values)
    statuses = ["resolved"] * 8 + ["new", "replied"]
    t.run(
        "concerns",
        insert_select(
            Concern,
            {
                "patient_id": "x.id",
                "category": "x.category",
                "urgent": f"x.category = ANY({_array(sorted(Concern.URGENT))})",
                "status": f"({_array(statuses)})[1 + floor(random() * {len(statuses)})::int]",
                "created_at": "%s - make_interval(days => floor(random() * 300)::int)",
            },
            f"FROM (SELECT p.id, ({_array(categories)})"
            f"[1 + floor(random() * {len(categories)})::int] AS category "
            f"FROM patients_patient p WHERE {mrn_range} AND random() < 0.1 OFFSET 0) AS x",
        ),
        [now],
    )
    # Patients on therapy have the starter pack; most have opened some of it.
    pages = list(
        Page.objects.published().filter(in_starter_pack=True).values_list("id", "current_version")
    )
    if pages:
        starter = "(VALUES " + ", ".join(f"({p}, {v})" for p, v in pages) + ") AS page(id, v)"
        t.run(
            "assignments",
            insert_select(
                Assignment,
                {
                    "page_id": "page.id",
                    "patient_id": "c.patient_id",
                    "assigned_at": "%s",
                    "source": "'starter_pack'",
                },
                f"{chunk_courses.replace('FROM ', f'FROM {starter} CROSS JOIN ', 1)}",
            ),
            [now],
        )
        t.run(
            "receipts",
            insert_select(
                Receipt,
                {
                    "patient_id": "c.patient_id",
                    "version_id": "page.v",
                    "kind": f"'{Receipt.Kind.VIEWED.value}'",
                },
                f"{chunk_courses.replace('FROM ', f'FROM {starter} CROSS JOIN ', 1)} "
                "AND random() < 0.6",
            ),
        )
    trail = "(VALUES " + ", ".join(f"('{k}', '{a}', '{r}')" for k, a, r in AUDIT_TRAIL)
    t.run(
        "audit events",
        insert_select(
            AuditEvent,
            {
                "kind": "e.kind",
                "action": "e.action",
                "patient_uuid": "p.uuid",
                "actor_label": "'bench'",
                "actor_role": "e.role",
            },
            f"FROM patients_patient p CROSS JOIN {trail}) AS e(kind, action, role) "
            f"WHERE {mrn_range}",
        ),
    )


AUDIT_KINDS = [  # what fills the log: mostly reads from lists and records
    ("read", "patient.view", "clinician"),
    ("read", "followup.worklist", "nurse"),
    ("read", "patient.list", "clinician"),
    ("read", "patient.view", "nurse"),
    ("read", "portal.home", "patient"),
    ("write", "result.record", "nurse"),
    ("write", "followup.reschedule", "nurse"),
    ("auth", "auth.login", "clinician"),
]

# One month's rows, made by PostgreSQL itself: no row crosses the socket and no Python runs per
# row. The parent table routes them to their month; ids are given (a block per month) rather
# than drawn one by one from the identity sequence. A patient and a second of the month are
# drawn per row (random(), seeded per month); the kinds cycle through AUDIT_KINDS.
AUDIT_MONTH_SQL = """
INSERT INTO audit_auditevent
    (id, occurred_at, kind, action, actor_label, actor_role, object_type, object_id,
     patient_uuid, user_agent, detail)
SELECT %(first_id)s + n, %(start)s::timestamptz + floor(random() * %(seconds)s) * interval '1 s',
       kinds.kind, kinds.action, 'bench', kinds.role, '', '',
       (%(uuids)s::uuid[])[1 + floor(random() * %(patients)s)::int], '', '{{}}'::jsonb
FROM generate_series(0, %(count)s - 1) AS n
JOIN (SELECT ordinality - 1 AS slot, kind, action, role
      FROM unnest(%(kinds)s::text[], %(actions)s::text[], %(roles)s::text[]) WITH ORDINALITY
           AS k (kind, action, role)) AS kinds
  ON kinds.slot = n %% {kinds}
"""
AUDIT_LOAD_THREADS = 2  # one PostgreSQL backend per core of the bench machine


def _in_threads(work, items) -> None:
    """``work(item)`` for every item, on AUDIT_LOAD_THREADS database connections at once."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    def run(item):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit = off")
                cursor.execute("SET maintenance_work_mem = '256MB'")
            work(item)
        finally:
            connection.close()

    with ThreadPoolExecutor(AUDIT_LOAD_THREADS) as pool:
        for _ in pool.map(run, items):
            pass


def seed_audit(rows: int, months: int = 96, seed_value: int = 7) -> None:
    """Append ``rows`` audit events spread over the last ``months`` months, generated inside
    PostgreSQL (``INSERT ... SELECT`` over ``generate_series``, a month per statement, two at a
    time), with the log's secondary indexes dropped for the load and built once after it.

    The old way (a Python loop formatting every row for ``COPY`` into a table whose nine
    indexes were updated row by row) took 34 minutes for 50 million rows: the cost was the
    Python per row and the index upkeep, not the transport, so the rows are now made where they
    are stored. Finally ``VACUUM (ANALYZE)``: what autovacuum does to a month once it has filled,
    marking its pages all-visible so that index-only scans stay index-only."""
    from django.db import connection

    from clinic_portal.audit.partitions import add_months, ensure_months_ahead

    rng = random.Random(seed_value)
    uuids = [str(u) for u in Patient.objects.values_list("uuid", flat=True)] or [
        str(__import__("uuid").UUID(int=rng.getrandbits(128))) for _ in range(1000)
    ]
    this_month = clinic_today().replace(day=1)
    first = add_months(this_month, -(months - 1))
    ensure_months_ahead(first, months=months - 1)
    per_month, extra = divmod(rows, months)
    started = time.monotonic()
    shared = {
        "kinds": [k for k, _, _ in AUDIT_KINDS],
        "actions": [a for _, a, _ in AUDIT_KINDS],
        "roles": [r for _, _, r in AUDIT_KINDS],
        "uuids": uuids,
        "patients": len(uuids),
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) + 1 FROM audit_auditevent")
        next_id = cursor.fetchone()[0]
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'audit_auditevent' "
            "AND indexname <> 'audit_auditevent_pkey' ORDER BY indexname"
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:  # on the partitioned table: drops every month's copy too
            cursor.execute(f"DROP INDEX {name}")
    print(f"dropped {len(indexes)} indexes for the load")
    plan = []
    for index in range(months):
        month = add_months(first, index)
        count = per_month + (1 if index < extra else 0)
        plan.append(
            shared
            | {
                "first_id": next_id,
                "start": dt.datetime.combine(month, dt.time.min, tzinfo=dt.UTC),
                "seconds": (add_months(first, index + 1) - month).days * 86400,
                "count": count,
                "seed": rng.random() * 2 - 1,
            }
        )
        next_id += count
    sql = AUDIT_MONTH_SQL.format(kinds=len(AUDIT_KINDS))
    written = [0]

    def load(params) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT setseed(%s)", [params["seed"]])
            cursor.execute(sql, params)
        written[0] += params["count"]
        progress("audit events", written[0], rows, started)

    def build(definition) -> None:
        with connection.cursor() as cursor:
            # pg_indexes shows a partitioned index as "ON ONLY" the parent; without ONLY it is
            # built on every month as well.
            cursor.execute(definition.replace(" ON ONLY ", " ON ", 1))

    try:
        _in_threads(load, plan)
    finally:
        built = time.monotonic()
        _in_threads(build, [definition for _, definition in indexes])
        print(f"built {len(indexes)} indexes in {time.monotonic() - built:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('audit_auditevent', 'id'), %s)", [next_id]
        )
        cursor.execute("VACUUM (ANALYZE) audit_auditevent")
    print(f"audit events: {rows} in {time.monotonic() - started:.0f} s with the indexes and VACUUM")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--audit-rows",
        type=int,
        default=0,
        help="then append this many audit events over --audit-months months (made in PostgreSQL)",
    )
    parser.add_argument("--audit-months", type=int, default=96)
    options = parser.parse_args()
    seed(options.patients, options.seed)
    if options.audit_rows:
        seed_audit(options.audit_rows, options.audit_months, options.seed)
