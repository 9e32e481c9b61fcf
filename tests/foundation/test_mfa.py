from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic_portal.audit.models import AuditEvent
from tests.factories import PASSWORD
from tests.support.mfa import authenticator, current_code


def _wait_out_throttling(user) -> None:
    """django-otp slows down guessing after a wrong code; the test does not wait the seconds."""
    TOTPDevice.objects.filter(user=user).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )


def _password_login(user) -> Client:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def test_staff_without_an_authenticator_must_set_one_up_before_anything_else(nurse):
    client = _password_login(nurse)
    for url in (reverse("core:home"), reverse("patients:list"), "/admin/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(
            reverse("accounts:mfa_setup")
        )


def test_setting_up_shows_a_qr_code_and_gives_backup_codes(nurse):
    client = _password_login(nurse)
    page = client.get(reverse("accounts:mfa_setup"))
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=nurse, confirmed=False)
    wrong = client.post(reverse("accounts:mfa_setup"), {"code": "000000"})
    assert wrong.status_code == 400
    _wait_out_throttling(nurse)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    done = client.post(reverse("accounts:mfa_setup"), {"code": code})
    assert "Your backup codes" in done.content.decode()
    assert client.get(reverse("core:home")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.mfa_enrolled", actor=nurse).exists()


def test_staff_with_an_authenticator_enter_a_code_after_the_password(clinician):
    authenticator(clinician)
    client = _password_login(clinician)
    assert client.get(reverse("core:home"))["Location"].startswith(reverse("accounts:mfa_verify"))
    assert client.post(reverse("accounts:mfa_verify"), {"code": "123456"}).status_code == 400
    _wait_out_throttling(clinician)
    response = client.post(
        reverse("accounts:mfa_verify") + "?next=/patients/", {"code": current_code(clinician)}
    )
    assert response["Location"] == "/patients/"
    assert client.get(reverse("patients:list")).status_code == 200


def test_a_backup_code_works_once(clinician):
    client = _password_login(clinician)
    client.get(reverse("accounts:mfa_setup"))
    device = TOTPDevice.objects.get(user=clinician, confirmed=False)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    backup = client.post(reverse("accounts:mfa_setup"), {"code": code}).context["codes"][0]
    for expected in (302, 400):
        again = _password_login(clinician)
        assert again.post(reverse("accounts:mfa_verify"), {"code": backup}).status_code == expected


def test_the_admin_site_is_behind_the_second_factor(clinic_admin):
    client = _password_login(clinic_admin)
    assert client.get("/admin/")["Location"].startswith(reverse("accounts:mfa_setup"))


def test_patients_may_go_without_but_once_set_up_it_is_required(patient):
    client = _password_login(patient.user)
    assert client.get(reverse("core:home")).status_code == 200
    authenticator(patient.user)
    again = _password_login(patient.user)
    assert again.get(reverse("core:home"))["Location"].startswith(reverse("accounts:mfa_verify"))


def test_a_password_reset_does_not_skip_the_second_factor(
    nurse, mailoutbox, django_capture_on_commit_callbacks
):
    authenticator(nurse)
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": nurse.email})
    link = next(line for line in mailoutbox[0].body.splitlines() if "/password/reset/" in line)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get(path, follow=True)
    new = "a brand new long password"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    client.post(reverse("accounts:login"), {"username": nurse.email, "password": new})
    assert client.get(reverse("core:home"))["Location"].startswith(reverse("accounts:mfa_verify"))
