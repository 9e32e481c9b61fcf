"""A patient's own contact details. Changes go through the patient-record service, so they are
versioned and audited like staff edits; a new email address must be confirmed from that inbox."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from clinic_portal.accounts.language import language_for
from clinic_portal.accounts.models import User
from clinic_portal.audit import audit
from clinic_portal.notifications.services import EmailSpec, queue_emails
from patients.models import Patient
from patients.services import AllergyData, update_patient

SALT = "portal.email-change"
MAX_AGE_SECONDS = 2 * 24 * 3600


class EmailChangeError(Exception):
    pass


def _update(patient: Patient, actor, **changes) -> Patient:
    allergies = [AllergyData(a.substance, a.reaction, a.severity) for a in patient.allergies.all()]
    return update_patient(
        patient=patient,
        actor=actor,
        expected_version=patient.version,
        email=changes.pop("email", patient.user.email),
        allergies=allergies,
        **changes,
    )


@transaction.atomic
def save_profile(
    *, patient: Patient, actor, phone: str, preferred_language: str, email: str
) -> str | None:
    """The patient's own profile form, all or nothing: the contact details are saved and, for a
    new address, a confirmation link is queued. A refused address leaves everything unsaved.
    Returns the address the link went to, if any."""
    new_email = email.strip().lower()
    changing = bool(new_email) and new_email != (patient.user.email or "").lower()
    if changing:
        _refuse_taken(new_email, patient)
    _update(patient, actor, phone=phone, preferred_language=preferred_language)
    if not changing:
        return None
    _request_email_change(patient=patient, new_email=new_email)
    audit.record("portal.email_change_requested", actor=actor, obj=patient, patient=patient)
    return new_email


def _refuse_taken(new_email: str, patient: Patient) -> None:
    if User.objects.filter(email__iexact=new_email).exclude(pk=patient.user_id).exists():
        raise EmailChangeError(_("That address is already in use. Call us if you need help."))


def _request_email_change(*, patient: Patient, new_email: str) -> None:
    # The record's version is in the link: confirming bumps it, so the link works once.
    version = Patient.objects.values_list("version", flat=True).get(pk=patient.pk)
    token = signing.dumps({"p": str(patient.uuid), "e": new_email.lower(), "v": version}, salt=SALT)
    link = f"{settings.SITE_URL}{reverse('portal:confirm_email', args=[token])}"
    with translation.override(language_for(patient.preferred_language)):
        subject = _("Confirm your new email address for %(clinic)s") % {
            "clinic": settings.CLINIC_NAME
        }
        body = _(
            "To use this address for the clinic portal, open this link within two days:\n"
            "%(link)s\n\nIf you did not ask for this, ignore this email.\n"
        ) % {"link": link}
    queue_emails(
        [
            EmailSpec(
                dedupe_key=f"email-change:{patient.uuid}:{signing.get_cookie_signer(salt=SALT).signature(token)[:40]}",
                purpose="email_change",
                to_email=new_email,
                subject=subject,
                body=body,
                patient_uuid=patient.uuid,
            )
        ]
    )


def confirm_email_change(*, token: str, user) -> Patient:
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        raise EmailChangeError(
            _("This link does not work or has run out. Ask for a new one on your profile page.")
        ) from None
    patient = Patient.objects.select_related("user").filter(uuid=data.get("p"), user=user).first()
    if patient is None:
        raise EmailChangeError(_("This link belongs to another account."))
    if data.get("v") != patient.version:
        raise EmailChangeError(
            _(
                "This link has been used already, or your details changed after it was sent. "
                "Ask for a new one on your profile page."
            )
        )
    if User.objects.filter(email__iexact=data["e"]).exclude(pk=user.pk).exists():
        raise EmailChangeError(_("That address is already in use. Call us if you need help."))
    return _update(patient, user, email=data["e"])
