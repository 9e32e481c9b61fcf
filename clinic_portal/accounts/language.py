"""Which language a page is in.

Before log-in, Django's LocaleMiddleware decides: the switcher's cookie, else the browser's
Accept-Language. Once someone logs in, their saved choice decides (a patient's preferred
language; a member of staff's own choice, or their browser when they made none). The choice is
read once per session and kept there, so no page pays a query for it; the switcher and the
patient's profile page update it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

SESSION_KEY = "portal_language"


def supported(code: str | None) -> str | None:
    """The portal language for a code ("fr-ca" -> "fr", "en" -> "en-gb"), or None."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def language_for(code: str | None) -> str:
    """The language to write in for a saved choice: the portal's, else English. Emails use it."""
    return supported(code) or settings.LANGUAGE_CODE


def language_of(user) -> str:
    """The language to write to this user in: what they chose, else English."""
    return language_for(user.saved_language())


def remember(request, code: str | None) -> None:
    """Keep a signed-in user's language for the rest of the session ("" = the browser's)."""
    if request.user.is_authenticated:
        request.session[SESSION_KEY] = supported(code) or ""


@receiver(user_logged_in, dispatch_uid="language_at_login")
def language_at_login(sender, request, user, **kwargs) -> None:
    """Read the saved choice once, at log-in (pages then need no query for it)."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = supported(user.saved_language()) or ""


class UserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if SESSION_KEY not in request.session:
                remember(request, user.saved_language())
            code = request.session.get(SESSION_KEY)
            if code:
                translation.activate(code)
                request.LANGUAGE_CODE = code
        return self.get_response(request)


@login_not_required
@require_POST
def set_language(request):
    """Django's switcher (cookie, safe redirect), plus: a signed-in user keeps the choice for the
    session, and a member of staff keeps it in their account for next time."""
    response = django_set_language(request)
    code = supported(request.POST.get("language"))
    if code and request.user.is_authenticated:
        remember(request, code)
        if not request.user.is_patient:
            request.user.language = code
            request.user.save(update_fields=["language"])
    return response


__all__ = [
    "SESSION_KEY",
    "UserLanguageMiddleware",
    "language_for",
    "language_of",
    "remember",
    "set_language",
    "supported",
]
