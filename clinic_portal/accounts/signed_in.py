"""``request.user`` and the second factor that verified it, read in one query.

On every page of a signed-in member of staff, Django's ``AuthenticationMiddleware`` reads the
user named in the session (one query) and django-otp's ``OTPMiddleware`` then reads the device
named in the session (a second). When the session names a TOTP device, ``OTPMiddleware`` here
reads that device together with its user (one query, a join) and hands the user to Django's own
``auth.get_user`` through ``ModelBackend.get_user``, so every check Django makes still runs on
it unchanged: the session's backend is one of ours, the account is active, the session's
password hash matches. django-otp's own check then binds the device to that user and requires
it confirmed. Any other session (no device yet, a backup-code device, a patient without one)
goes the usual way.

Measured on the password form (docs/performance.md, "The floor"): one query fewer on every
staff page.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.contrib.auth import backends
from django.utils.functional import LazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import middleware as otp_middleware
from django_otp.plugins.otp_totp.models import TOTPDevice

# The user read with the session's device, for the one get_user() call that follows it.
_read_with_device: ContextVar = ContextVar("read_with_device", default=None)


class ModelBackend(backends.ModelBackend):
    """Django's ModelBackend; ``get_user`` takes the user already read with the session's
    device instead of reading it again."""

    def get_user(self, user_id):
        user = _read_with_device.get()
        if user is not None and str(user.pk) == str(user_id):
            return user if self.user_can_authenticate(user) else None
        return super().get_user(user_id)


def _totp_device_with_user(persistent_id: str | None) -> TOTPDevice | None:
    if not persistent_id:
        return None
    label, _, pk = otp_middleware.OTPMiddleware._normalize_persistent_id(persistent_id).rpartition(
        "/"
    )
    if label != TOTPDevice.model_label() or not pk.isdigit():
        return None
    try:
        return TOTPDevice.objects.select_related("user").get(pk=int(pk))
    except TOTPDevice.DoesNotExist:
        return None


class OTPMiddleware(otp_middleware.OTPMiddleware):
    def __call__(self, request):
        if self._is_async:
            return super().__call__(request)
        self._install_lazy_accessors(request)
        # Every request asks who the user is straight away (the language middleware next), so
        # the user is read now and pages get the object itself rather than the two lazy
        # wrappers around it (Django's and django-otp's): each attribute read through them
        # cost a few microseconds, a few hundred times a page.
        user = request.user
        user.is_authenticated  # noqa: B018 (reads the user)
        while isinstance(user, LazyObject):
            user = user._wrapped
        request.user = user
        return self.get_response(request)

    def _verify_user_sync(self, request, user):
        device = _totp_device_with_user(request.session.get(DEVICE_ID_SESSION_KEY))
        if device is None:
            return super()._verify_user_sync(request, user)
        token = _read_with_device.set(device.user)
        try:
            # Django's get_user() runs here, once per request (the lazy user caches it).
            authenticated = user.is_authenticated
        finally:
            _read_with_device.reset(token)
        self._init_user_fields(user)
        if authenticated:
            # Bound to this user and confirmed, or dropped from the session (django-otp's rule).
            user.otp_device = self._finalize_device(request, user, device)
        return user
