from django.urls import reverse

from clinic_portal.audit.models import AuditEvent
from tests.factories import PASSWORD


def _try(client, email, password):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_five_failures_pause_logging_in_with_a_clear_message(client, nurse):
    for _ in range(4):
        assert _try(client, nurse.email, "wrong-password-123").status_code == 200
    locked = _try(client, nurse.email, "wrong-password-123")
    assert locked.status_code == 429
    assert "logging in is paused for 15 minutes" in locked.content.decode()
    # Even the right password waits out the pause.
    assert _try(client, nurse.email, PASSWORD).status_code == 429
    assert AuditEvent.objects.filter(action="auth.login_failed").count() >= 5
    assert AuditEvent.objects.filter(action="auth.locked_out").exists()


def test_other_accounts_are_not_locked(client, nurse, clinician):
    for _ in range(5):
        _try(client, nurse.email, "wrong-password-123")
    assert _try(client, clinician.email, PASSWORD).status_code == 302


def test_a_success_resets_the_count(client, nurse):
    for _ in range(4):
        _try(client, nurse.email, "wrong-password-123")
    assert _try(client, nurse.email, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert _try(client, nurse.email, "wrong-password-123").status_code == 200
