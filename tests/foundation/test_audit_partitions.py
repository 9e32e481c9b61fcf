"""The audit log partitioned by month (PostgreSQL): months created ahead by housekeeping, the
append-only guards on every partition, and retention that names partitions for archive."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from clinic_portal.audit import audit, partitions
from clinic_portal.audit.models import AuditEvent
from clinic_portal.core.services import run_housekeeping

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite keeps a plain audit table"
    ),
]


def _partition_names() -> set[str]:
    return {name for name, _ in partitions.monthly_partitions()}


def _triggers(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
            [table],
        )
        return {row[0] for row in cursor.fetchall()}


def test_housekeeping_creates_the_coming_months_each_with_the_append_only_guards(settings):
    settings.CLINIC_AUDIT_MONTHS_AHEAD = 2
    now = dt.datetime(2031, 11, 20, 12, tzinfo=dt.UTC)
    summary = run_housekeeping(now=now)
    expected = {
        "audit_auditevent_p2031_11",
        "audit_auditevent_p2031_12",
        "audit_auditevent_p2032_01",
    }
    assert expected <= _partition_names()
    assert set(summary["audit_partitions_created"]) == expected
    for name in [*expected, partitions.DEFAULT]:
        assert _triggers(name) == {"audit_event_no_update_or_delete", "audit_event_no_truncate"}
    # Run again: nothing new, nothing fails.
    assert run_housekeeping(now=now)["audit_partitions_created"] == []


def test_a_row_lands_in_its_month_and_no_partition_may_be_changed_or_wiped(settings):
    partitions.ensure_months_ahead(dt.date(2031, 3, 1), months=0)
    event = AuditEvent.objects.create(
        kind="read", action="patient.view", occurred_at=dt.datetime(2031, 3, 9, tzinfo=dt.UTC)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM audit_auditevent WHERE id = %s", [event.pk]
        )
        assert cursor.fetchone()[0] == "audit_auditevent_p2031_03"
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL clinic_portal.audit_truncate = ''")
        for statement in (
            "UPDATE audit_auditevent_p2031_03 SET action = 'x'",
            "DELETE FROM audit_auditevent_p2031_03",
            "TRUNCATE audit_auditevent_p2031_03",
            "TRUNCATE audit_auditevent_default",
        ):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                cursor.execute(statement)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_month_without_a_partition_still_keeps_its_row_and_housekeeping_reports_it():
    audit.record("system.test", kind="system")
    AuditEvent.objects.create(
        kind="system", action="system.old", occurred_at=dt.datetime(1999, 1, 1, tzinfo=dt.UTC)
    )
    assert AuditEvent.objects.filter(action="system.old").exists()
    assert partitions.rows_in_default_partition() >= 1


def test_months_older_than_the_retention_are_named_for_archive_never_removed(settings):
    settings.CLINIC_AUDIT_RETENTION_YEARS = 8
    for month in (dt.date(2022, 10, 1), dt.date(2022, 11, 1), dt.date(2022, 12, 1)):
        partitions.ensure_months_ahead(month, months=0)
    due = partitions.partitions_due_for_archive(dt.date(2030, 11, 30))
    assert "audit_auditevent_p2022_10" in due
    assert "audit_auditevent_p2022_11" not in due and "audit_auditevent_p2022_12" not in due
    assert "audit_auditevent_p2022_10" in _partition_names()


def test_the_runtime_role_creates_months_through_housekeeping_but_cannot_touch_a_partition():
    role = f"rtp_{connection.settings_dict['NAME']}"[:60]
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
        call_command("grant_runtime_role", role, stdout=io.StringIO())
        cursor.execute(f'SET LOCAL ROLE "{role}"')
        assert partitions.ensure_months_ahead(dt.date(2033, 5, 1), months=0) == [
            "audit_auditevent_p2033_05"
        ]
        AuditEvent.objects.create(
            kind="system", action="system.x", occurred_at=dt.datetime(2033, 5, 2, tzinfo=dt.UTC)
        )
        for statement in (
            "SELECT count(*) FROM audit_auditevent_p2033_05",
            "INSERT INTO audit_auditevent_p2033_05 (occurred_at) VALUES (now())",
            "TRUNCATE audit_auditevent_p2033_05",
            "ALTER TABLE audit_auditevent_p2033_05 DISABLE TRIGGER ALL",
            "ALTER TABLE audit_auditevent DETACH PARTITION audit_auditevent_p2033_05",
        ):
            with pytest.raises(DatabaseError), transaction.atomic():
                cursor.execute(statement)
        cursor.execute("RESET ROLE")
