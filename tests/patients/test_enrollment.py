import datetime as dt

import pytest
from django.urls import reverse

from clinic_portal.accounts.models import User
from clinic_portal.audit.models import AuditEvent
from patients.models import Patient, PatientVersion
from tests.factories import PatientFactory
from tests.support.web import fill, form_on

ENROLL = reverse("patients:enroll")


@pytest.fixture
def rosa(clinician, nurse):
    """What the person at the desk types for a new patient."""
    return {
        "given_name": "Rosa",
        "family_name": "Quintero",
        "date_of_birth": "1969-05-17",
        "sex": "female",
        "mrn": "rq-10 442",
        "email": "Rosa.Q@test.clinic.invalid",
        "phone": "+44 20 7946 0999",
        "preferred_language": "es",
        "responsible_clinician": clinician.pk,
        "primary_nurse": nurse.pk,
        "diagnosis": "rheumatoid_arthritis",
        "diagnosis_onset": "2019-02-01",
        "current_medications": "Methotrexate 20 mg weekly\nFolic acid 5 mg weekly",
        "allergies-0-substance": "Latex",
        "allergies-0-reaction": "Hives",
        "allergies-0-severity": "moderate",
    }


def enroll(web, values: dict, **overrides):
    page = web.get(ENROLL)
    return fill(form_on(page), **(values | overrides)).submit(status="*")


@pytest.mark.parametrize("persona", ["clinician", "nurse"])
def test_clinicians_and_nurses_enroll_a_patient(web_as, request, rosa, persona):
    actor = request.getfixturevalue(persona)
    response = enroll(web_as(actor), rosa)
    patient = Patient.objects.get()
    assert response.status_code == 302
    assert response.location == patient.get_absolute_url()
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
    assert "Rosa Quintero is enrolled." in response.follow().text


def test_a_patient_may_be_enrolled_without_an_email(web_as, clinician, rosa):
    enroll(web_as(clinician), rosa, email="")
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
    web_as, clinician, rosa, field, value, message
):
    users_before = User.objects.count()
    response = enroll(web_as(clinician), rosa, **{field: value})
    assert response.status_code == 400
    beside = response.html.select_one(f"#id_{field}").find_next(class_="invalid-feedback")
    assert message in beside.get_text()
    assert Patient.objects.count() == 0
    assert User.objects.count() == users_before


def test_a_nurse_cannot_be_the_responsible_rheumatologist(web_as, clinician, nurse, rosa):
    response = enroll(web_as(clinician), rosa, responsible_clinician=nurse.pk)
    assert response.status_code == 400
    assert "Select a valid choice" in response.text
    assert Patient.objects.count() == 0


def test_a_taken_record_number_links_to_its_holder(web_as, clinician, rosa):
    holder = PatientFactory(mrn="RQ10442")
    response = enroll(web_as(clinician), rosa)
    assert response.status_code == 400
    assert response.html.find("a", href=holder.get_absolute_url())
    assert Patient.objects.count() == 1


def test_same_name_and_birthday_warns_and_needs_an_explicit_confirmation(web_as, clinician, rosa):
    existing = PatientFactory(
        given_name="ROSA", family_name="quintero", date_of_birth=dt.date(1969, 5, 17)
    )
    warned = enroll(web_as(clinician), rosa)
    assert warned.status_code == 400
    assert "This may be someone already enrolled" in warned.text
    assert warned.html.find("a", href=existing.get_absolute_url())
    assert Patient.objects.count() == 1

    form = form_on(warned)
    form["confirm_different_person"].checked = True
    confirmed = form.submit(status="*")
    assert confirmed.status_code == 302
    assert Patient.objects.count() == 2


def test_an_email_already_used_by_a_patient_is_refused_with_a_link(
    web_as, clinician, patient, rosa
):
    response = enroll(web_as(clinician), rosa, email=patient.user.email.upper())
    assert response.status_code == 400
    assert response.html.find("a", href=patient.get_absolute_url())


def test_an_email_used_by_staff_is_refused(web_as, clinician, nurse, rosa):
    response = enroll(web_as(clinician), rosa, email=nurse.email)
    assert "already used by a staff account" in response.text


def test_a_tampered_allergy_formset_is_an_error_not_a_crash(client_for, clinician, enrollment_data):
    # Not a form test: a hand-built POST is the point, since no page renders this.
    enrollment_data["allergies-TOTAL_FORMS"] = "lots"
    response = client_for(clinician).post(ENROLL, enrollment_data)
    assert response.status_code == 400
    assert Patient.objects.count() == 0


def test_the_form_prefills_the_clinician_as_responsible(web_as, clinician):
    form = form_on(web_as(clinician).get(ENROLL))
    assert form["responsible_clinician"].value == str(clinician.pk)
