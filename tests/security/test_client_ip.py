"""Break 7: behind the reverse proxy, the client's address is resolved once, from the right of
X-Forwarded-For, and the lockout, the audit log and rate limits all use it."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from clinic_portal.audit.models import AuditEvent
from clinic_portal.client_ip import client_ip
from tests.factories import PASSWORD

PROXY = "10.0.0.5"


@pytest.fixture
def behind_proxy(settings):
    """DJANGO_BEHIND_PROXY=1 with one reverse proxy (the default it implies)."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.CLINIC_TRUSTED_PROXIES = 1


def _login(email, password, forwarded_for):
    """A log-in through the proxy: it appends the client's real address to what it was sent."""
    # Hand-built on purpose: what is under test is the header a client may forge, per request.
    return Client(REMOTE_ADDR=PROXY).post(
        reverse("accounts:login"),
        {"username": email, "password": password},
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@pytest.mark.parametrize("header", ["evil", "evil, 203.0.113.9", "", ",,,", "999.1.1.1", "\x00"])
def test_a_mangled_forwarded_for_is_ignored_not_a_500(behind_proxy, nurse, header):
    assert _login(nurse.email, "wrong-password-123", header).status_code == 200
    assert _login(nurse.email, PASSWORD, header).status_code == 302


def test_the_audit_log_keeps_the_address_the_proxy_saw_not_the_one_the_client_wrote(
    behind_proxy, nurse
):
    _login(nurse.email, PASSWORD, "6.6.6.6, 203.0.113.9")
    event = AuditEvent.objects.get(action="auth.login")
    assert event.ip_address == "203.0.113.9"


def test_five_bad_passwords_from_one_place_do_not_lock_out_the_real_user(behind_proxy, nurse):
    for _ in range(5):
        _login(nurse.email, "wrong-password-123", "203.0.113.9")
    assert _login(nurse.email, PASSWORD, "203.0.113.9").status_code == 429
    # The nurse, at the clinic, behind the same proxy: not locked out.
    assert _login(nurse.email, PASSWORD, "198.51.100.7").status_code == 302


def test_without_a_trusted_proxy_the_header_is_not_believed(settings):
    settings.CLINIC_TRUSTED_PROXIES = 0
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "192.0.2.10"


def test_two_trusted_proxies_read_the_second_entry_from_the_right(settings):
    settings.CLINIC_TRUSTED_PROXIES = 2
    request = RequestFactory().get(
        "/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9, 10.0.0.4"
    )
    assert client_ip(request) == "203.0.113.9"
