import pytest
from django.urls import reverse

from clinic_portal.audit.models import AuditEvent
from patients.models import Patient, PatientVersion
from patients.services import archive_patient, update_patient


def _edit_data(patient: Patient, **overrides) -> dict:
    data = {
        "given_name": patient.given_name,
        "family_name": patient.family_name,
        "date_of_birth": patient.date_of_birth.isoformat(),
        "sex": patient.sex,
        "mrn": patient.mrn,
        "email": patient.user.email or "",
        "phone": patient.phone,
        "preferred_language": patient.preferred_language,
        "responsible_clinician": str(patient.responsible_clinician_id),
        "primary_nurse": str(patient.primary_nurse_id or ""),
        "diagnosis": patient.diagnosis,
        "diagnosis_onset": "",
        "current_medications": patient.current_medications,
        "relevant_conditions": patient.relevant_conditions,
        "notes": patient.notes,
        "version": str(patient.version),
        "allergies-TOTAL_FORMS": "0",
        "allergies-INITIAL_FORMS": "0",
        "allergies-MIN_NUM_FORMS": "0",
        "allergies-MAX_NUM_FORMS": "1000",
    }
    return data | overrides


def test_staff_open_the_record_and_the_read_is_audited(client_for, nurse, patient):
    response = client_for(nurse).get(patient.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pat Example" in html and "Methotrexate 15 mg weekly" in html
    assert AuditEvent.objects.filter(
        action="patient.view", actor=nurse, patient_uuid=patient.uuid
    ).exists()


def test_the_record_shows_a_timeline_of_what_happened(client_for, clinician, patient):
    client = client_for(clinician)
    client.post(
        reverse("patients:edit", args=[patient.uuid]), _edit_data(patient, phone="01234 567890")
    )
    html = client.get(patient.get_absolute_url()).content.decode()
    assert "Record edited (version 2: phone)" in html


def test_an_edit_records_field_level_changes_and_keeps_the_old_version(
    client_for, clinician, patient
):
    url = reverse("patients:edit", args=[patient.uuid])
    response = client_for(clinician).post(
        url, _edit_data(patient, phone="01234 567890", notes="Prefers mornings")
    )
    assert response.status_code == 302
    patient.refresh_from_db()
    assert (patient.phone, patient.version) == ("01234 567890", 2)
    event = AuditEvent.objects.get(action="patient.update")
    assert event.detail["changes"]["phone"] == {"before": "", "after": "01234 567890"}
    assert set(event.detail["changes"]) == {"phone", "notes"}
    assert PatientVersion.objects.get(patient=patient, version=2).data["phone"] == "01234 567890"


def test_a_stale_edit_is_refused_and_the_newer_change_survives(
    client_for, clinician, nurse, patient
):
    stale = _edit_data(patient, phone="01111 111111")
    update_patient(
        patient=patient,
        actor=nurse,
        expected_version=1,
        email=patient.user.email,
        allergies=[],
        notes="Changed by the nurse first",
    )
    response = client_for(clinician).post(reverse("patients:edit", args=[patient.uuid]), stale)
    assert response.status_code == 400
    assert "Someone else saved this record" in response.content.decode()
    patient.refresh_from_db()
    assert (patient.notes, patient.phone, patient.version) == ("Changed by the nurse first", "", 2)


def test_saving_without_changes_makes_no_new_version(client_for, clinician, patient):
    client_for(clinician).post(reverse("patients:edit", args=[patient.uuid]), _edit_data(patient))
    patient.refresh_from_db()
    assert patient.version == 1
    assert not AuditEvent.objects.filter(action="patient.update").exists()


def test_an_invalid_edit_changes_nothing(client_for, clinician, patient):
    response = client_for(clinician).post(
        reverse("patients:edit", args=[patient.uuid]),
        _edit_data(patient, phone="+44 1", date_of_birth="3000-01-01"),
    )
    assert response.status_code == 400
    patient.refresh_from_db()
    assert (patient.phone, patient.version) == ("", 1)


def test_allergies_are_edited_with_the_record(client_for, clinician, patient):
    data = _edit_data(patient) | {
        "allergies-TOTAL_FORMS": "1",
        "allergies-0-substance": "Sulfa drugs",
        "allergies-0-reaction": "Rash",
        "allergies-0-severity": "mild",
    }
    client_for(clinician).post(reverse("patients:edit", args=[patient.uuid]), data)
    assert [a.substance for a in patient.allergies.all()] == ["Sulfa drugs"]
    event = AuditEvent.objects.get(action="patient.update")
    assert event.detail["changes"]["allergies"]["before"] == []


def test_a_clinician_archives_and_restores_a_patient(client_for, clinician, patient):
    client = client_for(clinician)
    patient.user.set_password("a-good-long-password")
    patient.user.is_active = True
    patient.user.save()
    response = client.post(
        reverse("patients:archive", args=[patient.uuid]), {"reason": "Moved to Leeds"}
    )
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.is_archived and not patient.user.is_active
    assert AuditEvent.objects.get(action="patient.archive").detail == {"reason": "Moved to Leeds"}

    client.post(reverse("patients:restore", args=[patient.uuid]))
    patient.refresh_from_db()
    assert not patient.is_archived and patient.user.is_active


def test_archiving_needs_a_reason(client_for, clinician, patient):
    response = client_for(clinician).post(
        reverse("patients:archive", args=[patient.uuid]), {"reason": ""}
    )
    assert response.status_code == 400
    patient.refresh_from_db()
    assert not patient.is_archived


def test_an_archived_patient_cannot_log_in(client, clinician, patient):
    patient.user.set_password("a-good-long-password")
    patient.user.is_active = True
    patient.user.save()
    archive_patient(patient=patient, actor=clinician, reason="Deceased")
    response = client.post(
        reverse("accounts:login"),
        {"username": patient.user.email, "password": "a-good-long-password"},
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_nurses_may_not_archive(client_for, nurse, patient):
    response = client_for(nurse).post(
        reverse("patients:archive", args=[patient.uuid]), {"reason": "x"}
    )
    assert response.status_code == 403


def test_the_version_history_lists_every_version(client_for, clinician, patient):
    from patients.services import snapshot

    PatientVersionFactory = PatientVersion.objects.create
    PatientVersionFactory(patient=patient, version=1, data=snapshot(patient), changed_by=clinician)
    response = client_for(clinician).get(reverse("patients:history", args=[patient.uuid]))
    assert response.status_code == 200
    assert "Version 1" in response.content.decode()
    assert AuditEvent.objects.filter(action="patient.history", patient_uuid=patient.uuid).exists()


@pytest.mark.parametrize("persona", ["clinician", "nurse"])
def test_staff_see_archived_records(client_for, request, clinician, patient, persona):
    archive_patient(patient=patient, actor=clinician, reason="Moved")
    user = request.getfixturevalue(persona)
    assert client_for(user).get(patient.get_absolute_url()).status_code == 200
