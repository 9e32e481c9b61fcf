import datetime as dt

import pytest
from django.urls import reverse

from clinic_portal.accounts.models import User
from clinic_portal.audit.models import AuditEvent
from patients.models import Patient, PatientVersion
from tests.factories import PatientFactory

ENROLL = reverse("patients:enroll")


@pytest.mark.parametrize("persona", ["clinician", "nurse"])
def test_clinicians_and_nurses_enroll_a_patient(client_for, request, enrollment_data, persona):
    actor = request.getfixturevalue(persona)
    response = client_for(actor).post(ENROLL, enrollment_data)
    patient = Patient.objects.get()
    assert response.status_code == 302
    assert response["Location"] == patient.get_absolute_url()
    assert patient.mrn == "RQ10442"
    assert patient.medication_lines == ["Methotrexate 20 mg weekly", "Folic acid 5 mg weekly"]
    assert [(a.substance, a.severity) for a in patient.allergies.all()] == [("Latex", "moderate")]
    assert patient.user.role == "patient"
    assert patient.user.email == "rosa.q@test.clinic.invalid"
    assert patient.user.is_active is False
    assert not patient.user.has_usable_password()
    assert PatientVersion.objects.get(patient=patient).version == 1
    event = AuditEvent.objects.get(action="patient.enroll")
    assert (event.actor, event.patient_uuid) == (actor, patient.uuid)


def test_a_patient_may_be_enrolled_without_an_email(client_for, clinician, enrollment_data):
    enrollment_data["email"] = ""
    client_for(clinician).post(ENROLL, enrollment_data)
    assert Patient.objects.get().user.email is None


def test_patients_cannot_reach_the_enrollment_form(client_for, patient_user):
    assert client_for(patient_user).get(ENROLL).status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date_of_birth", "2999-01-01", "cannot be in the future"),
        ("date_of_birth", "1850-01-01", "older than 120"),
        ("date_of_birth", "1969-02-30", "Enter a valid date"),
        ("mrn", "12", "4 to 20 letters and digits"),
        ("mrn", "AB#1234", "4 to 20 letters and digits"),
        ("email", "not-an-email", "valid email"),
        ("phone", "call me maybe", "Use digits"),
        ("diagnosis_onset", "1960-01-01", "before the date of birth"),
        ("diagnosis_onset", "2999-01-01", "cannot be in the future"),
        ("given_name", "", "This field is required"),
        ("responsible_clinician", "999999", "Select a valid choice"),
        ("sex", "unknown", "Select a valid choice"),
    ],
)
def test_bad_input_is_explained_beside_its_field_and_nothing_is_saved(
    client_for, clinician, enrollment_data, field, value, message
):
    users_before = User.objects.count()
    enrollment_data[field] = value
    response = client_for(clinician).post(ENROLL, enrollment_data)
    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    assert Patient.objects.count() == 0
    assert User.objects.count() == users_before


def test_a_nurse_cannot_be_the_responsible_rheumatologist(
    client_for, clinician, nurse, enrollment_data
):
    enrollment_data["responsible_clinician"] = str(nurse.pk)
    response = client_for(clinician).post(ENROLL, enrollment_data)
    assert "responsible_clinician" in response.context["form"].errors


def test_a_taken_record_number_links_to_its_holder(client_for, clinician, enrollment_data):
    holder = PatientFactory(mrn="RQ10442")
    response = client_for(clinician).post(ENROLL, enrollment_data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'href="{holder.get_absolute_url()}"' in html
    assert Patient.objects.count() == 1


def test_same_name_and_birthday_warns_and_needs_an_explicit_confirmation(
    client_for, clinician, enrollment_data
):
    existing = PatientFactory(
        given_name="ROSA", family_name="quintero", date_of_birth=dt.date(1969, 5, 17)
    )
    client = client_for(clinician)
    warned = client.post(ENROLL, enrollment_data)
    assert warned.status_code == 400
    html = warned.content.decode()
    assert "This may be someone already enrolled" in html
    assert f'href="{existing.get_absolute_url()}"' in html
    assert Patient.objects.count() == 1

    confirmed = client.post(ENROLL, {**enrollment_data, "confirm_different_person": "on"})
    assert confirmed.status_code == 302
    assert Patient.objects.count() == 2


def test_an_email_already_used_by_a_patient_is_refused_with_a_link(
    client_for, clinician, patient, enrollment_data
):
    enrollment_data["email"] = patient.user.email.upper()
    response = client_for(clinician).post(ENROLL, enrollment_data)
    assert response.status_code == 400
    assert patient.get_absolute_url() in response.content.decode()


def test_an_email_used_by_staff_is_refused(client_for, clinician, nurse, enrollment_data):
    enrollment_data["email"] = nurse.email
    response = client_for(clinician).post(ENROLL, enrollment_data)
    assert "already used by a staff account" in str(response.context["form"].errors["email"])


def test_a_broken_allergy_formset_is_an_error_not_a_crash(client_for, clinician, enrollment_data):
    enrollment_data["allergies-TOTAL_FORMS"] = "lots"
    response = client_for(clinician).post(ENROLL, enrollment_data)
    assert response.status_code == 400
    assert Patient.objects.count() == 0


def test_the_form_prefills_the_clinician_as_responsible(client_for, clinician):
    response = client_for(clinician).get(ENROLL)
    assert response.context["form"].initial["responsible_clinician"] == clinician.pk
