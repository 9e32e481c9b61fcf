from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic_portal.audit.models import AuditEvent
from tests.support.mfa import authenticator, current_code
from tests.support.web import fill, form_with, type_code, type_password


def _wait_out_throttling(user) -> None:
    """django-otp slows down guessing after a wrong code; the test does not wait the seconds."""
    TOTPDevice.objects.filter(user=user).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )


def _code_of(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_staff_without_an_authenticator_must_set_one_up_before_anything_else(password_login, nurse):
    app, _ = password_login(nurse)
    for url in (reverse("core:home"), reverse("patients:list"), "/admin/"):
        response = app.get(url)
        assert response.status_code == 302 and response.location.startswith(
            reverse("accounts:mfa_setup")
        )


def test_setting_up_shows_a_qr_code_and_gives_backup_codes(password_login, nurse):
    app, logged_in = password_login(nurse)
    page = logged_in.follow().maybe_follow()
    assert page.request.path == reverse("accounts:mfa_setup")
    assert page.status_code == 200 and "<svg" in page.text
    device = TOTPDevice.objects.get(user=nurse, confirmed=False)
    wrong = type_code(page, "000000")
    assert wrong.status_code == 400
    _wait_out_throttling(nurse)
    done = type_code(wrong, _code_of(device))
    assert "Your backup codes" in done.text
    assert app.get(reverse("core:home")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.mfa_enrolled", actor=nurse).exists()


def test_staff_with_an_authenticator_enter_a_code_after_the_password(password_login, clinician):
    authenticator(clinician)
    # Asked for the patient list, the clinician logs in there and is then asked for a code.
    app, logged_in = password_login(clinician, url=reverse("patients:list"))
    page = logged_in.follow().maybe_follow()
    assert page.request.path == reverse("accounts:mfa_verify")
    wrong = type_code(page, "123456")
    assert wrong.status_code == 400
    _wait_out_throttling(clinician)
    response = type_code(wrong, current_code(clinician))
    assert response.location == "/patients/"
    assert app.get(reverse("patients:list")).status_code == 200


def test_a_backup_code_works_once(password_login, clinician):
    _, logged_in = password_login(clinician)
    page = logged_in.follow().maybe_follow()
    device = TOTPDevice.objects.get(user=clinician, confirmed=False)
    codes = type_code(page, _code_of(device))
    backup = codes.html.select_one("ul.font-monospace li").get_text(strip=True)
    for expected in (302, 400):
        _, again = password_login(clinician)
        assert type_code(again.follow().maybe_follow(), backup).status_code == expected


def test_the_admin_site_is_behind_the_second_factor(password_login, clinic_admin):
    app, _ = password_login(clinic_admin)
    assert app.get("/admin/").location.startswith(reverse("accounts:mfa_setup"))


def test_patients_may_go_without_but_once_set_up_it_is_required(password_login, patient):
    app, _ = password_login(patient.user)
    assert app.get(reverse("core:home")).status_code == 200
    authenticator(patient.user)
    again, _ = password_login(patient.user)
    assert again.get(reverse("core:home")).location.startswith(reverse("accounts:mfa_verify"))


def test_a_password_reset_does_not_skip_the_second_factor(
    django_app, nurse, mailoutbox, django_capture_on_commit_callbacks
):
    authenticator(nurse)
    with django_capture_on_commit_callbacks(execute=True):
        asked = fill(form_with(django_app.get(reverse("accounts:password_reset")), "email"))
        asked["email"] = nurse.email
        asked.submit()
    link = next(line for line in mailoutbox[0].body.splitlines() if "/password/reset/" in line)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    form_page = django_app.get(path).maybe_follow()
    new = "a brand new long password"
    fill(form_with(form_page, "new_password1"), new_password1=new, new_password2=new).submit()
    assert type_password(django_app, nurse.email, new).status_code == 302
    assert django_app.get(reverse("core:home")).location.startswith(reverse("accounts:mfa_verify"))


# The user is read with the session's authenticator in one query (accounts/signed_in.py); the
# checks Django and django-otp make on each request must all still hold on that path.


def test_a_verified_member_of_staff_is_read_with_the_authenticator_in_one_query(
    client_for, clinician, django_assert_num_queries
):
    client = client_for(clinician)
    client.get(reverse("accounts:password_change"))
    # The session, then the authenticator joined with its user: nothing else on this page.
    with django_assert_num_queries(2):
        assert client.get(reverse("accounts:password_change")).status_code == 200


def test_a_deactivated_account_is_logged_out_on_its_next_page(client_for, nurse):
    client = client_for(nurse)
    assert client.get(reverse("core:home")).status_code == 200
    nurse.is_active = False
    nurse.save(update_fields=["is_active"])
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )


def test_a_disabled_authenticator_asks_for_a_code_again(client_for, nurse):
    client = client_for(nurse)
    assert client.get(reverse("core:home")).status_code == 200
    TOTPDevice.objects.filter(user=nurse).update(confirmed=False)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:mfa_setup")
    )


def test_someone_elses_authenticator_in_the_session_verifies_nothing(client_for, nurse, clinician):
    client = client_for(nurse)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator(clinician).persistent_id
    session.save()
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:mfa_verify")
    )
    assert DEVICE_ID_SESSION_KEY not in client.session
