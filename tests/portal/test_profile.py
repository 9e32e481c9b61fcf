"""The profile form saves all or nothing, and says what it did."""

from django.urls import reverse

from clinic_portal.audit.models import AuditEvent


def _profile_form(app):
    page = app.get(reverse("portal:profile"))
    return next(f for f in page.forms.values() if "email" in f.fields)


def test_a_refused_new_address_leaves_the_phone_unsaved_too(web_as, patient, other_patient):
    form = _profile_form(web_as(patient.user))
    form["phone"] = "+44 7700 900123"
    form["email"] = other_patient.user.email

    page = form.submit(status=400)

    assert "already in use" in page.text
    before = patient.version
    patient.refresh_from_db()
    assert patient.phone != "+44 7700 900123"
    assert patient.version == before


def test_phone_and_a_new_address_are_saved_together_and_audited(web_as, patient):
    form = _profile_form(web_as(patient.user))
    form["phone"] = "+44 7700 900123"
    form["email"] = "pat.new@test.clinic.invalid"

    page = form.submit().follow()

    assert "We sent a link to pat.new@test.clinic.invalid" in page.text
    patient.refresh_from_db()
    assert patient.phone == "+44 7700 900123"
    assert AuditEvent.objects.filter(
        action="portal.email_change_requested", patient_uuid=patient.uuid
    ).exists()
