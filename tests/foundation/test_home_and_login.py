import pytest
from django.urls import reverse

from clinic_portal.audit.models import AuditEvent
from tests.factories import PASSWORD
from tests.support.web import all_forms, fill, form_with, type_password


@pytest.mark.parametrize("url_name", ["core:home", "accounts:password_change", "admin:index"])
def test_anonymous_visitors_are_sent_to_log_in(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/") or response["Location"].startswith(
        "/admin/login/"
    )


@pytest.mark.parametrize(
    ("persona", "heading"),
    [
        ("clinician", "Screenings waiting for review or signature"),
        ("nurse", "Patient reports waiting"),
        ("patient_user", "Hello, Pat"),
        ("clinic_admin", "Clinic administration"),
    ],
)
def test_each_role_has_its_own_home_page(client_for, request, persona, heading):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(reverse("core:home"))
    assert response.status_code == 200
    assert heading in response.content.decode()


def test_every_page_has_exactly_one_h1(client_for, clinician):
    html = client_for(clinician).get(reverse("core:home")).content.decode()
    assert html.count("<h1") == 1


def test_the_login_page_has_one_h1_and_is_served_anonymously(client, db):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert response.content.decode().count("<h1") == 1


def test_logging_in_by_email_in_any_case_writes_an_audit_event(django_app, clinician):
    response = type_password(django_app, clinician.email.upper(), PASSWORD)
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor == clinician
    assert event.kind == AuditEvent.Kind.AUTH
    assert event.ip_address == "127.0.0.1"


def test_a_failed_login_is_audited_without_the_password(django_app, clinician):
    response = type_password(django_app, clinician.email, "wrong-password-123")
    assert response.status_code == 200
    assert "Please enter a correct email address and password" in response.text
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.actor is None
    assert event.detail == {"attempted_email": clinician.email}
    assert "wrong-password-123" not in str(event.detail)


def test_logging_out_is_audited(web_as, nurse):
    page = web_as(nurse).get(reverse("core:home"))
    log_out = next(f for f in all_forms(page) if f.action == reverse("accounts:logout"))
    response = log_out.submit()
    assert response.status_code == 302
    assert response.location == reverse("accounts:login")
    assert AuditEvent.objects.filter(action="auth.logout", actor=nurse).exists()


def test_password_reset_sends_an_email_with_a_working_link(
    django_app, nurse, mailoutbox, django_capture_on_commit_callbacks
):
    page = django_app.get(reverse("accounts:password_reset"))
    with django_capture_on_commit_callbacks(execute=True):
        response = fill(form_with(page, "email"), email=nurse.email).submit()
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    link = next(line for line in body.splitlines() if "/accounts/password/reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    follow = django_app.get("/" + path).maybe_follow()
    assert follow.status_code == 200
    assert "Choose a new password" in follow.text


def test_the_navigation_shows_admin_only_to_superusers(client_for, nurse):
    html = client_for(nurse).get(reverse("core:home")).content.decode()
    assert "Administration" not in html
