"""Breaks 8 and 9: the audit export cannot carry spreadsheet formulas, and the audit log cannot
be wiped, not by TRUNCATE and not by the role the portal runs as."""

import csv
import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from clinic_portal.audit import audit
from clinic_portal.audit.checks import runtime_role_does_not_own_the_audit_log
from clinic_portal.audit.models import AuditEvent
from tests.factories import PatientFactory

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the database's own guards are PostgreSQL's"
)


def test_cells_that_a_spreadsheet_would_run_are_written_as_text(web_as, clinic_admin, today):
    sly = PatientFactory(user__email="=1+2@test.clinic.invalid", given_name="-Minus")
    audit.record(
        "patient.update",
        actor=sly.user,
        obj=sly,
        patient=sly,
        detail={"note": "x"},
    )
    AuditEvent.objects.create(kind="write", action="@SUM(A1:A9)", actor_label="\tTab")
    page = web_as(clinic_admin).get(reverse("audit:export"))
    form = next(f for f in page.forms.values() if "start" in f.fields)
    form["start"] = form["end"] = today.isoformat()
    response = form.submit()
    rows = list(csv.reader(io.StringIO(response.text)))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'=1+2@test.clinic.invalid" in cells
    assert "'@SUM(A1:A9)" in cells and "'\tTab" in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


@on_postgresql
@pytest.mark.django_db
def test_truncate_is_refused_by_the_database():
    audit.record("system.test", kind="system")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL clinic_portal.audit_truncate = ''")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.filter(action="system.test").exists()


@on_postgresql
@pytest.mark.django_db
def test_the_runtime_role_may_read_and_append_but_not_alter_or_wipe_the_log():
    role = f"rt_{connection.settings_dict['NAME']}"[:60]
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
        call_command("grant_runtime_role", role, stdout=io.StringIO())
        cursor.execute(f'SET LOCAL ROLE "{role}"')
        cursor.execute("SET LOCAL clinic_portal.audit_truncate = 'allow'")  # no help to it
        audit.record("system.by_runtime_role", kind="system")
        assert AuditEvent.objects.filter(action="system.by_runtime_role").count() == 1
        for statement in (
            "TRUNCATE audit_auditevent",
            "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
            "DROP TRIGGER audit_event_no_update_or_delete ON audit_auditevent",
            "UPDATE audit_auditevent SET action = 'x'",
            "DELETE FROM audit_auditevent",
            "DROP TABLE audit_auditevent",
        ):
            with pytest.raises(DatabaseError), transaction.atomic():
                cursor.execute(statement)
        # The check that `make check` runs: silent for the runtime role.
        assert runtime_role_does_not_own_the_audit_log(databases=["default"]) == []
        cursor.execute("RESET ROLE")
    assert AuditEvent.objects.filter(action="system.by_runtime_role").exists()


@on_postgresql
@pytest.mark.django_db
def test_make_check_warns_when_the_portal_runs_as_the_owner_of_the_audit_table():
    warnings = runtime_role_does_not_own_the_audit_log(databases=["default"])
    assert [w.id for w in warnings] == ["audit.W001"]
