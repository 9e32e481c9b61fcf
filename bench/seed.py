"""Synthetic data at scale for benchmarks: `python bench/seed.py --patients 20000`.

Bulk inserts patients (with their accounts), signed screenings, therapy courses with their real
monitoring plans (statuses spread over past and future), results, vaccinations, concerns,
education assignments and receipts, and audit events. Every name is synthetic. Meant for a scratch
PostgreSQL database (DATABASE_URL); it refuses to run against one that has non-bench patients.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_portal.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from clinic_portal.accounts.models import User  # noqa: E402
from clinic_portal.accounts.roles import Role  # noqa: E402
from clinic_portal.audit.models import AuditEvent  # noqa: E402
from clinic_portal.core.clock import clinic_today, start_of_day  # noqa: E402
from education.models import Assignment, Page, Receipt  # noqa: E402
from followups.models import FollowUp, NeutrophilResult, TherapyCourse, Vaccination  # noqa: E402
from followups.planner import plan_monitoring  # noqa: E402
from followups.status import Status, open_status  # noqa: E402
from patients.models import Patient  # noqa: E402
from portal.models import Concern  # noqa: E402
from screening.models import Screening  # noqa: E402

BATCH = 5000
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


def seed(patients: int, seed_value: int = 7) -> None:
    rng = random.Random(seed_value)
    today = clinic_today()
    if Patient.objects.exclude(mrn__startswith="BENCH").exists():
        sys.exit("This database holds real (non-bench) patients; use a scratch database.")
    clinicians = [
        User.objects.get_or_create(
            email=f"bench-clinician{i}@bench.invalid",
            defaults={"full_name": f"Dr Bench {i}", "role": Role.CLINICIAN},
        )[0]
        for i in range(5)
    ]
    start = Patient.objects.filter(mrn__startswith="BENCH").count()
    started = time.monotonic()
    for offset in range(start, patients, BATCH):
        count = min(BATCH, patients - offset)
        with transaction.atomic():
            users = User.objects.bulk_create(
                [
                    User(
                        email=f"bench{n}@bench.invalid",
                        full_name=f"Bench {n}",
                        role=Role.PATIENT,
                        is_active=False,
                        password="!",
                    )
                    for n in range(offset, offset + count)
                ]
            )
            rows = Patient.objects.bulk_create(
                [
                    Patient(
                        user=user,
                        given_name=rng.choice(GIVEN),
                        family_name=f"{rng.choice(FAMILY)}{n % 997}",
                        date_of_birth=dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(20000)),
                        sex=rng.choice(["female", "male"]),
                        mrn=f"BENCH{n:07d}",
                        responsible_clinician=rng.choice(clinicians),
                    )
                    for n, user in zip(range(offset, offset + count), users, strict=True)
                ]
            )
            _therapy_for(rows, clinicians, rng, today)
        progress("patients", offset + count, patients, started)
    # Fresh statistics: without them PostgreSQL plans the daily job's count as a nested loop
    # over the new rows (measured: 87 s instead of 0.1 s at 20,000 patients).
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _therapy_for(patients, clinicians, rng, today) -> None:
    now = timezone.now()
    on_therapy = [p for p in patients if rng.random() < 0.9]
    screenings = Screening.objects.bulk_create(
        [
            Screening(
                patient=p,
                created_by=p.responsible_clinician,
                policy="strict",
                answers={},
                result=CLEAR_RESULT,
                outcome="clear",
                rule_set="kineret-2026.1",
                signed_by=p.responsible_clinician,
                signed_at=now,
                decision="eligible",
            )
            for p in on_therapy
        ]
    )
    courses = TherapyCourse.objects.bulk_create(
        [
            TherapyCourse(
                patient=s.patient,
                screening=s,
                start_date=today - dt.timedelta(days=rng.randrange(0, 400)),
                interval="daily",
                started_by=s.signed_by,
            )
            for s in screenings
        ]
    )
    followups = []
    for course in courses:
        for check in plan_monitoring(
            start=course.start_date,
            anc_sampled_on=None,
            flu_season=settings.CLINIC_FLU_SEASON_START,
        ):
            done = check.due < today and rng.random() < 0.8
            status = (
                Status.COMPLETED
                if done
                else open_status(check.due, today, due_window_days=7, grace_days=7)
            )
            followups.append(
                FollowUp(
                    therapy=course,
                    patient=course.patient,
                    kind=check.kind,
                    label=check.label,
                    due_date=check.due,
                    status=status,
                    closed_at=_closed_at(check.due, today, rng) if done else None,
                )
            )
    FollowUp.objects.bulk_create(followups, batch_size=BATCH)
    NeutrophilResult.objects.bulk_create(
        [
            NeutrophilResult(
                patient=c.patient,
                therapy=c,
                value=round(rng.uniform(0.8, 6.0), 2),
                sample_date=c.start_date,
                lab="Bench lab",
                recorded_by=c.started_by,
            )
            for c in courses
        ],
        batch_size=BATCH,
    )
    _vaccinations_for(courses, rng, today)
    _concerns_for(patients, rng, now)
    _education_for([c.patient for c in courses], rng, now)
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                kind=kind, action=action, patient_uuid=p.uuid, actor_label="bench", actor_role=role
            )
            for p in patients
            for kind, action, role in AUDIT_TRAIL
        ],
        batch_size=BATCH,
    )


def _closed_at(due: dt.date, today: dt.date, rng) -> dt.datetime:
    """Checks are done on the day or a few days late, never in the future."""
    day = min(due + dt.timedelta(days=rng.randrange(0, 4)), today)
    return start_of_day(day) + dt.timedelta(hours=rng.randrange(8, 18))


def _vaccinations_for(courses, rng, today) -> None:
    """About a third had this season's inactivated flu vaccine recorded."""
    Vaccination.objects.bulk_create(
        [
            Vaccination(
                patient=c.patient,
                therapy=c,
                name="Influenza (inactivated)",
                catalogue_name="influenza inactivated",
                live=False,
                given_on=today - dt.timedelta(days=rng.randrange(1, 60)),
                recorded_by=c.started_by,
            )
            for c in courses
            if rng.random() < 0.35
        ],
        batch_size=BATCH,
    )


def _concerns_for(patients, rng, now) -> None:
    """One patient in ten has reported something; most of it is closed."""
    categories = list(Concern.Category.values)
    statuses = ["resolved"] * 8 + ["new", "replied"]
    Concern.objects.bulk_create(
        [
            Concern(
                patient=p,
                category=(category := rng.choice(categories)),
                urgent=category in Concern.URGENT,
                status=rng.choice(statuses),
                created_at=now - dt.timedelta(days=rng.randrange(0, 300)),
            )
            for p in patients
            if rng.random() < 0.1
        ],
        batch_size=BATCH,
    )


def _education_for(patients, rng, now) -> None:
    """Patients on therapy have the starter pack; most have opened some of it."""
    pages = list(Page.objects.published().filter(in_starter_pack=True))
    Assignment.objects.bulk_create(
        [
            Assignment(page=page, patient=p, assigned_at=now, source="starter_pack")
            for p in patients
            for page in pages
        ],
        batch_size=BATCH,
    )
    Receipt.objects.bulk_create(
        [
            Receipt(patient=p, version_id=page.current_version_id, kind=Receipt.Kind.VIEWED)
            for p in patients
            for page in pages
            if rng.random() < 0.6
        ],
        batch_size=BATCH,
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
