"""Break 1 and 12: the second factor cannot be replaced with a password alone, and the session
id changes when the code is verified."""

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic_portal.audit.models import AuditEvent
from tests.factories import PASSWORD
from tests.support.mfa import authenticator, current_code
from tests.support.web import type_code


def _password_login(user) -> Client:
    # A test client, not a page: the attacker below goes on to send a hand-made POST.
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def _code_for(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _setup_form(page):
    return next(form for form in page.forms.values() if "code" in form.fields)


def test_a_password_alone_cannot_replace_the_authenticator(clinician):
    victim_phone = authenticator(clinician)
    attacker = _password_login(clinician)

    page = attacker.get(reverse("accounts:mfa_setup"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("accounts:mfa_verify"))
    assert not TOTPDevice.objects.filter(user=clinician, confirmed=False).exists()

    # Even a hand-made POST with a code from a device the attacker made gets nowhere.
    rogue = TOTPDevice.objects.create(user=clinician, name="rogue", confirmed=False)
    attempt = attacker.post(reverse("accounts:mfa_setup"), {"code": _code_for(rogue)})
    assert attempt.status_code == 302
    assert TOTPDevice.objects.filter(pk=victim_phone.pk, confirmed=True).exists()
    assert attacker.get(reverse("core:home"))["Location"].startswith(reverse("accounts:mfa_verify"))
    assert not AuditEvent.objects.filter(action="auth.mfa_enrolled").exists()


def test_a_verified_user_replaces_the_authenticator_with_password_and_current_code(
    clinician, web_as
):
    old = authenticator(clinician)
    app = web_as(clinician)
    page = app.get(reverse("accounts:mfa_setup"))
    form = _setup_form(page)
    new = TOTPDevice.objects.get(user=clinician, confirmed=False)

    form["password"] = "not my password"
    form["current_code"] = current_code(clinician)
    form["code"] = _code_for(new)
    refused = form.submit(status=400)
    assert "not your current password" in refused.text
    assert TOTPDevice.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(action="auth.mfa_reenrol_refused").count() == 1

    form = _setup_form(refused)
    form["password"] = PASSWORD
    form["current_code"] = "000000"
    form["code"] = _code_for(new)
    refused = form.submit(status=400)
    assert "did not work" in refused.text
    assert TOTPDevice.objects.filter(pk=old.pk).exists()

    TOTPDevice.objects.filter(user=clinician).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    form = _setup_form(refused)
    form["password"] = PASSWORD
    form["current_code"] = current_code(clinician)
    form["code"] = _code_for(new)
    done = form.submit()
    assert "Your backup codes" in done.text
    assert list(TOTPDevice.objects.filter(user=clinician).values_list("pk", flat=True)) == [new.pk]


def test_the_first_enrolment_is_still_open_after_the_password(password_login, nurse):
    app, _ = password_login(nurse)
    assert app.get(reverse("accounts:mfa_setup")).status_code == 200


def test_the_session_id_changes_when_the_code_is_verified(password_login, clinician):
    authenticator(clinician)
    app, logged_in = password_login(clinician)
    page = logged_in.follow().maybe_follow()
    before = app.cookies[settings.SESSION_COOKIE_NAME]
    response = type_code(page, current_code(clinician))
    assert response.status_code == 302
    after = app.cookies[settings.SESSION_COOKIE_NAME]
    assert after != before
    assert app.get(reverse("core:home")).status_code == 200
    # The id the attacker may have planted or seen before the code step is worthless now.
    stale = Client()
    stale.cookies[settings.SESSION_COOKIE_NAME] = before
    assert stale.get(reverse("core:home")).status_code == 302


def test_the_session_id_changes_when_a_first_authenticator_is_confirmed(password_login, nurse):
    app, _ = password_login(nurse)
    page = app.get(reverse("accounts:mfa_setup"))
    before = app.cookies[settings.SESSION_COOKIE_NAME]
    device = TOTPDevice.objects.get(user=nurse, confirmed=False)
    assert "Your backup codes" in type_code(page, _code_for(device)).text
    assert app.cookies[settings.SESSION_COOKIE_NAME] != before
