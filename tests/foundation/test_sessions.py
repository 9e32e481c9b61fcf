import time

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from clinic_portal.accounts.session_timeout import LAST_SEEN, STARTED
from tests.factories import PASSWORD
from tests.support.mfa import log_in
from tests.support.web import fill, form_with, tick, type_password


def _age(client, **seconds_ago):
    session = client.session
    now = time.time()
    for key, ago in seconds_ago.items():
        session[{"started": STARTED, "last_seen": LAST_SEEN}[key]] = now - ago
    session.save()


@pytest.mark.parametrize(
    ("persona", "idle_seconds", "logged_out"),
    [
        ("nurse", 14 * 60, False),
        ("nurse", 16 * 60, True),
        ("patient_user", 29 * 60, False),
        ("patient_user", 31 * 60, True),
    ],
)
def test_idle_sessions_end_after_15_minutes_for_staff_and_30_for_patients(
    client_for, request, persona, idle_seconds, logged_out
):
    client = client_for(request.getfixturevalue(persona))
    client.get(reverse("core:home"))
    _age(client, last_seen=idle_seconds)
    response = client.get(reverse("core:home"))
    assert (response.status_code == 302) is logged_out
    if logged_out:
        assert response["Location"].startswith(reverse("accounts:login"))
        assert "_auth_user_id" not in client.session


def test_a_session_ends_12_hours_after_login_however_active(client_for, nurse):
    client = client_for(nurse)
    client.get(reverse("core:home"))
    _age(client, started=12 * 3600 + 60, last_seen=10)
    assert client.get(reverse("core:home")).status_code == 302


def test_logging_in_gives_a_new_session_id(django_app, nurse):
    # A session the browser already holds before logging in (one an attacker might have planted).
    planted = SessionStore()
    planted["seen"] = True
    planted.save()
    django_app.set_cookie(settings.SESSION_COOKIE_NAME, planted.session_key)
    assert type_password(django_app, nurse.email, PASSWORD).status_code == 302
    assert django_app.cookies[settings.SESSION_COOKIE_NAME] != planted.session_key
    assert not SessionStore().exists(planted.session_key)


def test_changing_the_password_ends_other_sessions(web_as, nurse):
    other = Client()
    log_in(other, nurse)
    this = web_as(nurse)
    page = this.get(reverse("accounts:password_change"))
    new = "a much longer new password"
    form = fill(form_with(page, "old_password"), old_password=PASSWORD)
    fill(form, new_password1=new, new_password2=new).submit()
    assert this.get(reverse("core:home")).status_code == 200
    assert other.get(reverse("core:home")).status_code == 302


@pytest.mark.parametrize(
    "engine",
    [
        "django.contrib.sessions.backends.db",
        # What the portal uses with a shared Redis cache (CLINIC_CACHE_URL): the cached copy of
        # an ended session must go too, or it would outlive the row.
        "django.contrib.sessions.backends.cached_db",
    ],
)
def test_an_admin_ends_a_users_sessions(web_as, clinic_admin, nurse, settings, engine):
    settings.SESSION_ENGINE = engine
    victim = Client()
    log_in(victim, nurse)
    assert victim.get(reverse("core:home")).status_code == 200
    page = web_as(clinic_admin).get(reverse("admin:accounts_user_changelist"))
    form = page.forms["changelist-form"]
    form["action"] = "end_all_sessions"
    tick(form, "_selected_action", nurse.pk)
    assert form.submit("index").status_code == 302
    assert victim.get(reverse("core:home")).status_code == 302
    assert Session.objects.count() == 1  # the admin's own


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("short pass", False),
        ("twelve chars", True),
        ("x" * 64 + "!", True),
        ("password1234", False),
        ("123456789012345", True),
    ],
)
def test_passwords_are_judged_by_length_and_commonness_not_composition(nurse, password, accepted):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password, nurse)
    except ValidationError:
        assert not accepted
    else:
        assert accepted
