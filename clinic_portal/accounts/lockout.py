"""Too many failed log-ins (django-axes): the log-in page itself says what happened."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import ngettext

from clinic_portal.accounts.forms import EmailAuthenticationForm


def lockout_response(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = ngettext(
        "Too many attempts with this email address. For your safety, logging in is paused for "
        "%(minutes)d minute. You can reset your password, or call the clinic.",
        "Too many attempts with this email address. For your safety, logging in is paused for "
        "%(minutes)d minutes. You can reset your password, or call the clinic.",
        minutes,
    ) % {"minutes": minutes}
    context = {"form": EmailAuthenticationForm(request), "lockout_message": message}
    return render(request, "registration/login.html", context, status=429)
