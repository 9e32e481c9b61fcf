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
    # Hand-built on purpose: the admin shows events read-only, with no form to submit.
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


def test_every_read_of_a_request_is_written_in_one_insert_before_the_response(
    client_for, clinician, patient
):
    from django.test.utils import CaptureQueriesContext

    client = client_for(clinician)
    diary = reverse("patients:record_tab", args=[patient.uuid, "diary"])
    client.get(diary)  # the session's first request also logs its start
    before = AuditEvent.objects.reads().for_patient(patient.uuid).count()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(diary)
    assert response.status_code == 200
    inserts = [q for q in queries.captured_queries if 'INSERT INTO "audit_auditevent"' in q["sql"]]
    assert len(inserts) == 1
    reads = AuditEvent.objects.reads().for_patient(patient.uuid)
    # The record's diary tab reads the patient and the diary: two events, one statement.
    assert reads.count() - before >= 2
    assert {"patient.view", "treatment.diary"} <= set(reads.values_list("action", flat=True))
    assert set(reads.values_list("actor", flat=True)) == {clinician.pk}


def test_a_view_that_fails_still_logs_what_it_read(rf, clinician, patient):
    from clinic_portal.audit.middleware import RequestContextMiddleware

    def view(request):
        audit.record_read("patient.view", patients=[patient])
        raise ValueError("the page broke after reading")

    request = rf.get("/")
    request.user = clinician
    with pytest.raises(ValueError):
        RequestContextMiddleware(view)(request)
    event = AuditEvent.objects.get(action="patient.view")
    assert event.actor == clinician and event.patient_uuid == patient.uuid
