"""Multi-factor authentication with TOTP (django-otp).

Staff (rheumatologists, nurses, clinic admins, superusers) must verify a one-time code after
their password before they can use anything, the admin site included; those without a confirmed
authenticator are sent to set one up first. Patients may add one, and once they have, it is
required for them too. A password reset only sets the password: the next log-in still asks for
the code.

Setting up is open before the code step only to a user who has no confirmed authenticator yet (a
first enrolment). Replacing an authenticator needs a verified session and fresh proof: the
current password and a code from the authenticator being replaced (or a backup code).
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic_portal.accounts.roles import Role
from clinic_portal.accounts.services import end_sessions
from clinic_portal.audit import audit

BACKUP_CODES = 10


def mfa_required(user) -> bool:
    return user.is_superuser or user.role != Role.PATIENT or has_confirmed_device(user)


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user) -> TOTPDevice:
    """The authenticator being set up (unconfirmed), created on first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


class EnrolmentRefused(Exception):
    """Setting up a new authenticator is not allowed in this session, or the proof was wrong."""

    def __init__(self, field: str | None, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def may_start_enrolment(request) -> bool:
    """A first enrolment is open after the password; a replacement needs the code step done."""
    return not has_confirmed_device(request.user) or is_verified(request)


def check_reenrolment_proof(*, request, password: str, current_code: str) -> None:
    """Replacing an authenticator: the current password and a code from the existing device."""
    user = request.user
    if not user.check_password(password):
        audit.record("auth.mfa_reenrol_refused", actor=user, obj=user, kind="auth")
        raise EnrolmentRefused("password", _("That is not your current password."))
    if match_token(user, current_code.replace(" ", "")) is None:
        audit.record("auth.mfa_reenrol_refused", actor=user, obj=user, kind="auth")
        raise EnrolmentRefused(
            "current_code", _("That code did not work. Use your current app, or a backup code.")
        )


def confirm_device(
    *, request, device: TOTPDevice, token: str, password: str = "", current_code: str = ""
) -> list[str] | None:
    """Confirm the authenticator with its first code; return fresh backup codes, or None.

    Raises ``EnrolmentRefused`` when the session may not replace an existing authenticator or
    the proof of the current one is wrong; nothing is deleted then.
    """
    if not may_start_enrolment(request):
        raise EnrolmentRefused(None, _("Enter the code from your current authenticator first."))
    if has_confirmed_device(request.user):
        check_reenrolment_proof(request=request, password=password, current_code=current_code)
    if not device.verify_token(token):
        return None
    return _replace_devices(request=request, device=device)


@transaction.atomic
def _replace_devices(*, request, device: TOTPDevice) -> list[str]:
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    static, _ = StaticDevice.objects.get_or_create(user=device.user, name="Backup codes")
    static.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    otp_login(request, device)
    request.session.cycle_key()  # a new session id once the second factor is proven
    ended = end_sessions(user=device.user, actor=device.user, keep=request.session.session_key)
    audit.record(
        "auth.mfa_enrolled",
        actor=device.user,
        obj=device.user,
        detail={"other_sessions_ended": ended},
    )
    return codes


def verify(*, request, token: str) -> bool:
    device = match_token(request.user, token.replace(" ", ""))
    if device is None:
        audit.record("auth.mfa_failed", actor=request.user, obj=request.user, kind="auth")
        return False
    otp_login(request, device)
    request.session.cycle_key()  # a new session id once the second factor is proven
    audit.record("auth.mfa_verified", actor=request.user, obj=request.user, kind="auth")
    return True


def is_verified(request) -> bool:
    return bool(request.session.get(DEVICE_ID_SESSION_KEY)) and request.user.is_verified()
