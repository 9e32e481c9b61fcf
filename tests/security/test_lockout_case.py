"""Break 3: the lockout counts every spelling of one email address together."""

from django.urls import reverse

from tests.factories import PASSWORD


def _try(client, email, password):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_changing_the_case_of_the_email_does_not_escape_the_lockout(client, nurse):
    spellings = [nurse.email, nurse.email.upper(), nurse.email.title(), f"  {nurse.email}  "]
    for spelling in spellings:
        assert _try(client, spelling, "wrong-password-123").status_code == 200
    assert _try(client, nurse.email.swapcase(), "wrong-password-123").status_code == 429
    # The right password, in any spelling, waits out the pause.
    assert _try(client, nurse.email.upper(), PASSWORD).status_code == 429
    assert _try(client, nurse.email, PASSWORD).status_code == 429


def test_any_spelling_of_the_email_logs_in(client, nurse):
    assert _try(client, f" {nurse.email.upper()} ", PASSWORD).status_code == 302
