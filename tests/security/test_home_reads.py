"""Break 13: the staff home pages and the admin user list show patient names, so each patient
they show is a read in the access log."""

from django.urls import reverse

from clinic_portal.audit.models import AuditEvent
from followups.models import Alert
from tests.factories import PatientFactory


def _names_shown(html, patients):
    return {p.uuid for p in patients if p.family_name in html}


def _reads(action):
    return set(
        AuditEvent.objects.reads().filter(action=action).values_list("patient_uuid", flat=True)
    )


def test_the_rheumatologists_home_writes_a_read_for_each_patient_it_shows(
    client_for, clinician, patient, other_patient
):
    alerted = PatientFactory(family_name="Alertson", responsible_clinician=clinician)
    Alert.objects.create(
        patient=alerted,
        clinician=clinician,
        severity="urgent",
        cause="low_anc",
        message="Neutrophils low",
        source_type="test",
        source_id="1",
    )
    html = client_for(clinician).get(reverse("core:home")).content.decode()
    shown = _names_shown(html, [patient, other_patient, alerted])
    assert alerted.uuid in shown and patient.uuid in shown
    assert _reads("home.clinician") == shown


def test_the_nurses_home_writes_a_read_for_each_patient_it_shows(
    client_for, nurse, patient, other_patient
):
    html = client_for(nurse).get(reverse("core:home")).content.decode()
    assert _reads("home.nurse") == _names_shown(html, [patient, other_patient])


def test_the_admin_user_list_writes_a_read_for_each_patient_it_shows(
    client_for, clinic_admin, patient, other_patient
):
    html = client_for(clinic_admin).get(reverse("admin:accounts_user_changelist")).content.decode()
    shown = _names_shown(html, [patient, other_patient])
    assert shown == {patient.uuid, other_patient.uuid}
    assert _reads("admin.user.list") == shown
