"""Breaks 14 and 19: the clinic admin sees the outbox read-only and without bodies, and sees who
a patient is but not their clinical record; every such read is audited."""

from django.urls import reverse

from clinic_portal.audit.models import AuditEvent
from clinic_portal.notifications.models import OutboundEmail


def _failed_email(patient):
    return OutboundEmail.objects.create(
        dedupe_key="reminder:x",
        purpose="reminder",
        to_email=patient.user.email,
        subject="Secret subject line",
        body="Secret body text",
        status="failed",
        attempts=7,
        patient_uuid=patient.uuid,
    )


def test_the_clinic_admin_sees_failed_emails_but_no_bodies(web_as, office_admin, patient):
    email = _failed_email(patient)
    app = web_as(office_admin)
    listing = app.get(reverse("admin:notifications_outboundemail_changelist"))
    assert patient.user.email in listing.text and "Failed after retries" in listing.text
    detail = app.get(reverse("admin:notifications_outboundemail_change", args=[email.pk]))
    assert "Secret" not in listing.text + detail.text
    assert "7" in detail.text
    # Read-only: no save, no delete, no add.
    assert not [f for f in detail.forms.values() if "_save" in f.fields]
    app.get(reverse("admin:notifications_outboundemail_add"), status=403)
    app.get(reverse("admin:notifications_outboundemail_delete", args=[email.pk]), status=403)
    reads = AuditEvent.objects.reads().filter(action__startswith="admin.outbox")
    assert set(reads.values_list("patient_uuid", flat=True)) == {patient.uuid}


def test_the_clinic_admin_sees_who_a_patient_is_but_not_their_clinical_record(
    web_as, office_admin, patient
):
    patient.notes = "Lives with a nervous cat"
    patient.current_medications = "Methotrexate 15 mg weekly"
    patient.save()
    patient.allergies.create(substance="Latex", reaction="Hives", severity="moderate")
    app = web_as(office_admin)
    page = app.get(reverse("admin:patients_patient_change", args=[patient.pk]))
    assert patient.family_name in page.text and patient.mrn in page.text
    for clinical in ("nervous cat", "Methotrexate", "Latex", "Diagnosis"):
        assert clinical not in page.text, clinical
    # Version snapshots hold the clinical fields: not theirs to read.
    app.get(reverse("admin:patients_patientversion_changelist"), status=403)
    assert (
        AuditEvent.objects.reads()
        .filter(action="admin.patient.view", patient_uuid=patient.uuid, actor=office_admin)
        .exists()
    )


def test_a_superuser_still_sees_the_whole_record(web_as, clinic_admin, patient):
    patient.notes = "Lives with a nervous cat"
    patient.save()
    page = web_as(clinic_admin).get(reverse("admin:patients_patient_change", args=[patient.pk]))
    assert "nervous cat" in page.text
