import pytest
from django.db import connection, transaction
from django.urls import reverse

from clinic_portal.audit import audit
from clinic_portal.audit.models import AppendOnlyError, AuditEvent


@pytest.fixture
def event(db, clinician):
    return audit.record("patient.update", actor=clinician, detail={"field": "phone"})


def test_an_event_cannot_be_saved_twice(event):
    event.action = "something.else"
    with pytest.raises(AppendOnlyError):
        event.save()


def test_an_event_cannot_be_deleted(event):
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_bulk_update_and_delete_are_refused(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_raw_update_and_delete(event):
    for statement in ("UPDATE audit_auditevent SET action = 'x'", "DELETE FROM audit_auditevent"):
        with (
            pytest.raises(Exception, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert AuditEvent.objects.get(pk=event.pk).action == "patient.update"


def test_the_admin_shows_events_but_refuses_changes(client_for, clinic_admin, event):
    client = client_for(clinic_admin)
    change_url = reverse("admin:audit_auditevent_change", args=[event.pk])
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    assert client.post(change_url, {"action": "tampered"}).status_code == 403
    delete_url = reverse("admin:audit_auditevent_delete", args=[event.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).action == "patient.update"


def test_record_read_writes_one_row_per_patient_in_one_query(
    db, clinician, django_assert_num_queries
):
    import uuid

    patients = [uuid.uuid4() for _ in range(25)]
    with django_assert_num_queries(1):
        audit.record_read("patient.list", patients=patients, actor=clinician)
    assert AuditEvent.objects.reads().count() == 25
