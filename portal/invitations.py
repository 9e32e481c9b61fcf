"""Inviting a patient to the portal and accepting the invitation.

The link carries the invitation's id signed with the site's secret key (``django.core.signing``),
so it cannot be guessed or altered. It works once, until it expires
(``CLINIC_INVITATION_DAYS``), and only while it is the patient's newest invitation: resending
replaces it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import password_validation
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clinic_portal.accounts.language import language_for
from clinic_portal.audit import audit
from clinic_portal.notifications.services import EmailSpec, queue_emails
from portal.models import Invitation

SALT = "portal.invitation"


class InvitationError(Exception):
    """The link cannot be used; ``reason`` is one of: invalid, expired, used, replaced, archived."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def link_for(invitation: Invitation) -> str:
    token = signing.dumps(str(invitation.uuid), salt=SALT)
    return f"{settings.SITE_URL}{reverse('portal:accept', args=[token])}"


@transaction.atomic
def send_invitation(*, patient, actor) -> Invitation:
    """Invite (or re-invite) a patient; any earlier open invitation stops working."""
    email = patient.user.email
    if not email:
        raise InvitationError("no_email")
    if patient.is_archived:
        raise InvitationError("archived")
    now = timezone.now()
    Invitation.objects.filter(
        patient=patient, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    invitation = Invitation.objects.create(
        patient=patient,
        email=email,
        created_by=actor,
        expires_at=now + dt.timedelta(days=settings.CLINIC_INVITATION_DAYS),
    )
    # In the patient's language, whoever sent the invitation.
    with translation.override(language_for(patient.preferred_language)):
        subject = _("Your invitation to the %(clinic)s patient portal") % {
            "clinic": settings.CLINIC_NAME
        }
        body = _(
            "Hello %(name)s,\n\n"
            "%(clinic)s has set up a place for you to see your next checks and read about your "
            "treatment.\n\nTo start, choose a password here:\n%(link)s\n\n"
            "The link works once and for %(days)s days. If it has run out, call us on %(phone)s "
            "and we will send a new one.\n"
        ) % {
            "name": patient.given_name,
            "clinic": settings.CLINIC_NAME,
            "link": link_for(invitation),
            "days": settings.CLINIC_INVITATION_DAYS,
            "phone": settings.CLINIC_PHONE,
        }
    queue_emails(
        [
            EmailSpec(
                dedupe_key=f"invitation:{invitation.uuid}",
                purpose="invitation",
                to_email=email,
                subject=subject,
                body=body,
                patient_uuid=patient.uuid,
            )
        ]
    )
    audit.record("portal.invite", actor=actor, obj=invitation, patient=patient)
    return invitation


def _open(token: str) -> Invitation:
    try:
        key = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise InvitationError("invalid") from None
    invitation = Invitation.objects.select_related("patient__user").filter(uuid=key).first()
    if invitation is None:
        raise InvitationError("invalid")
    if invitation.accepted_at:
        raise InvitationError("used")
    if invitation.revoked_at:
        raise InvitationError("replaced")
    if invitation.expires_at <= timezone.now():
        raise InvitationError("expired")
    if invitation.patient.is_archived:
        raise InvitationError("archived")
    return invitation


def open_invitation(token: str) -> Invitation:
    """Check a link and note the first time it was opened."""
    invitation = _open(token)
    if invitation.opened_at is None:
        Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(
            opened_at=timezone.now()
        )
    return invitation


@transaction.atomic
def accept_invitation(*, token: str, password: str):
    """Set the patient's password and switch their account on. Returns the user."""
    invitation = _open(token)
    claimed = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(accepted_at=timezone.now())
    if not claimed:
        raise InvitationError("used")
    user = invitation.patient.user
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    audit.record("portal.accept", actor=user, obj=invitation, patient=invitation.patient)
    return user
