import csv
import io

from django.urls import reverse

from clinic_portal.audit import audit


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_a_clinic_admin_exports_a_date_range_for_one_patient(
    client_for, clinic_admin, nurse, patient, other_patient, today
):
    audit.record_read("patient.view", patients=[patient, other_patient], actor=nurse)
    response = client_for(clinic_admin).get(
        reverse("audit:export"),
        {"start": today.isoformat(), "end": today.isoformat(), "patient": str(patient.uuid)},
    )
    assert response.status_code == 200 and response["Content-Type"] == "text/csv"
    rows = _csv(response)
    assert {row["patient"] for row in rows} == {str(patient.uuid)}
    assert rows[0]["actor"] == nurse.email


def test_the_export_itself_is_audited(client_for, clinic_admin, today):
    client_for(clinic_admin).get(
        reverse("audit:export"), {"start": today.isoformat(), "end": today.isoformat()}
    )
    from clinic_portal.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="audit.export").exists()


def test_bad_ranges_are_explained(client_for, clinic_admin):
    response = client_for(clinic_admin).get(
        reverse("audit:export"), {"start": "2026-02-01", "end": "2026-01-01"}
    )
    assert response.status_code == 400 and "before the start" in response.content.decode()


def test_only_clinic_admins_export(client_for, clinician):
    assert client_for(clinician).get(reverse("audit:export")).status_code == 403
