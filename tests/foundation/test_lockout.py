from clinic_portal.audit.models import AuditEvent
from tests.factories import PASSWORD
from tests.support.web import type_password


def _try(app, email, password):
    return type_password(app, email, password)


def test_five_failures_pause_logging_in_with_a_clear_message(django_app, nurse):
    for _ in range(4):
        assert _try(django_app, nurse.email, "wrong-password-123").status_code == 200
    locked = _try(django_app, nurse.email, "wrong-password-123")
    assert locked.status_code == 429
    assert "logging in is paused for 15 minutes" in locked.text
    # Even the right password waits out the pause.
    assert _try(django_app, nurse.email, PASSWORD).status_code == 429
    assert AuditEvent.objects.filter(action="auth.login_failed").count() >= 5
    assert AuditEvent.objects.filter(action="auth.locked_out").exists()


def test_other_accounts_are_not_locked(django_app, nurse, clinician):
    for _ in range(5):
        _try(django_app, nurse.email, "wrong-password-123")
    assert _try(django_app, clinician.email, PASSWORD).status_code == 302


def test_a_success_resets_the_count(django_app, nurse):
    for _ in range(4):
        _try(django_app, nurse.email, "wrong-password-123")
    assert _try(django_app, nurse.email, PASSWORD).status_code == 302
    django_app.reset()  # a fresh browser: no session left from the success
    for _ in range(4):
        assert _try(django_app, nurse.email, "wrong-password-123").status_code == 200
