"""The access rules of ``patients.access``, for every patient URL and every kind of user."""

import uuid

import pytest
from django.urls import reverse

from clinic_portal.accounts.models import User
from patients.access import get_patient_for, visible_patients

PATIENT_URLS = ["detail", "edit", "history", "archive", "restore"]


def test_staff_see_every_patient_and_a_patient_only_themselves(
    clinician, nurse, patient, other_patient, clinic_admin
):
    assert set(visible_patients(clinician)) == {patient, other_patient}
    assert set(visible_patients(nurse)) == {patient, other_patient}
    assert list(visible_patients(patient.user)) == [patient]
    assert list(visible_patients(clinic_admin)) == []


def test_an_inactive_account_sees_nobody(nurse, patient):
    nurse.is_active = False
    assert list(visible_patients(nurse)) == []


@pytest.mark.parametrize("key", ["not-a-uuid", str(uuid.uuid4()), ""])
def test_unknown_or_malformed_ids_are_404(nurse, key):
    from django.http import Http404

    with pytest.raises(Http404):
        get_patient_for(nurse, key)


@pytest.mark.parametrize("name", PATIENT_URLS)
def test_another_patients_record_is_404_on_every_patient_url(
    client_for, patient, other_patient, name
):
    client = client_for(patient.user)
    url = reverse(f"patients:{name}", args=[other_patient.uuid])
    assert client.get(url).status_code == 404
    # Hand-built on purpose: no page of another patient's renders a form to this person.
    assert client.post(url, {"reason": "x"}).status_code == 404


@pytest.mark.parametrize("name", PATIENT_URLS)
def test_an_admin_without_a_care_role_gets_404_or_403_never_data(
    client_for, clinic_admin, patient, name
):
    response = client_for(clinic_admin).get(reverse(f"patients:{name}", args=[patient.uuid]))
    assert response.status_code in {403, 404}
    assert patient.family_name not in response.content.decode()


@pytest.mark.parametrize("name", PATIENT_URLS)
def test_a_made_up_id_is_404_for_staff_on_every_patient_url(client_for, clinician, name):
    url = reverse(f"patients:{name}", args=[uuid.uuid4()])
    # Hand-built on purpose: an id nobody has renders no page and so no form.
    assert client_for(clinician).post(url, {"reason": "x"}).status_code == 404


@pytest.mark.parametrize("name", PATIENT_URLS)
def test_malformed_ids_in_the_path_are_404(client_for, clinician, name):
    url = reverse(f"patients:{name}", args=[uuid.uuid4()]).replace("-", "", 1)[:-5] + "zz'/"
    assert client_for(clinician).get(url).status_code == 404


@pytest.mark.parametrize("name", PATIENT_URLS)
def test_anonymous_visitors_are_sent_to_log_in_from_every_patient_url(client, patient, name):
    response = client.get(reverse(f"patients:{name}", args=[patient.uuid]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_patient_opening_their_own_record_url_goes_to_their_portal(client_for, patient):
    response = client_for(patient.user).get(patient.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


def test_a_patient_cannot_edit_even_their_own_record(client_for, patient):
    response = client_for(patient.user).get(reverse("patients:edit", args=[patient.uuid]))
    assert response.status_code == 404


def test_the_admin_site_shows_patients_read_only_and_audits_the_read(
    client_for, clinic_admin, patient
):
    from clinic_portal.audit.models import AuditEvent

    client = client_for(clinic_admin)
    url = reverse("admin:patients_patient_change", args=[patient.pk])
    assert client.get(url).status_code == 200
    # Hand-built on purpose: the admin renders patients read-only, with no form to submit.
    assert client.post(url, {"given_name": "Changed"}).status_code == 403
    assert AuditEvent.objects.filter(
        action="admin.patient.view", patient_uuid=patient.uuid
    ).exists()
    client.get(reverse("admin:patients_patient_changelist"))
    assert AuditEvent.objects.filter(
        action="admin.patient.list", patient_uuid=patient.uuid
    ).exists()
    patient.refresh_from_db()
    assert patient.given_name == "Pat"
    assert User.objects.filter(pk=patient.user_id).exists()
