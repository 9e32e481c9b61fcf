"""django-webtest apps logged in as a persona, so form tests submit the form the page rendered."""

from __future__ import annotations

from django.conf import settings
from django.test import Client

from tests.support.mfa import log_in


def logged_in_app(app, user):
    """Give a django-webtest ``app`` the session of ``user``: password and, where the role
    needs it, a verified second factor, exactly as ``log_in`` gives the test client."""
    client = log_in(Client(), user)
    app.set_cookie(settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)
    return app
