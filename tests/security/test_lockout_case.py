"""Break 3: the lockout counts every spelling of one email address together."""

from tests.factories import PASSWORD
from tests.support.web import type_password

_try = type_password  # each try types into the log-in page afresh


def test_changing_the_case_of_the_email_does_not_escape_the_lockout(django_app, nurse):
    spellings = [nurse.email, nurse.email.upper(), nurse.email.title(), f"  {nurse.email}  "]
    for spelling in spellings:
        assert _try(django_app, spelling, "wrong-password-123").status_code == 200
    assert _try(django_app, nurse.email.swapcase(), "wrong-password-123").status_code == 429
    # The right password, in any spelling, waits out the pause.
    assert _try(django_app, nurse.email.upper(), PASSWORD).status_code == 429
    assert _try(django_app, nurse.email, PASSWORD).status_code == 429


def test_any_spelling_of_the_email_logs_in(django_app, nurse):
    assert _try(django_app, f" {nurse.email.upper()} ", PASSWORD).status_code == 302
