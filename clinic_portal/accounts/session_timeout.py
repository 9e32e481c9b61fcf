"""Idle and absolute session limits (HIPAA §164.312(a)(2)(iii), automatic logoff).

Staff are logged out after ``CLINIC_IDLE_MINUTES_STAFF`` minutes without a request, patients
after ``CLINIC_IDLE_MINUTES_PATIENT``, and everyone ``CLINIC_SESSION_MAX_HOURS`` after logging
in, however active. Activity is written to the session at most once a minute.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _

from clinic_portal.accounts.roles import Role

STARTED, LAST_SEEN = "portal_started_at", "portal_last_seen"
WRITE_EVERY_SECONDS = 60


def idle_limit_seconds(role: str) -> int:
    minutes = (
        settings.CLINIC_IDLE_MINUTES_PATIENT
        if role == Role.PATIENT
        else settings.CLINIC_IDLE_MINUTES_STAFF
    )
    return minutes * 60


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.setdefault(STARTED, now)
            last_seen = session.get(LAST_SEEN, now)
            idle = now - last_seen > idle_limit_seconds(user.role)
            too_old = now - started > settings.CLINIC_SESSION_MAX_HOURS * 3600
            if idle or too_old:
                logout(request)
                messages.info(
                    request,
                    _(
                        "You were logged out after a while without activity, "
                        "to keep your information safe."
                    )
                    if idle
                    else _("Your session reached its time limit. Please log in again."),
                )
                return redirect_to_login(request.get_full_path())
            if now - last_seen >= WRITE_EVERY_SECONDS or LAST_SEEN not in session:
                session[LAST_SEEN] = now
        return self.get_response(request)
