"""Sends users who need a second factor to set it up or enter it, before anything else."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse

from clinic_portal.accounts import mfa

# Reachable before the second factor: the MFA pages themselves, leaving, and the health check.
OPEN_PREFIXES = ("/accounts/mfa/", "/accounts/logout/", "/healthz", "/static/")


class MFARequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
            # Verified first: it needs no query, and a verified user needs nothing more.
            and not user.is_verified()
            and mfa.mfa_required(user)
        ):
            target = (
                "accounts:mfa_verify" if mfa.has_confirmed_device(user) else "accounts:mfa_setup"
            )
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)
