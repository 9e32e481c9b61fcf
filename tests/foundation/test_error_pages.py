import uuid

from django.test import Client
from django.urls import reverse

from tests.support.mfa import log_in


def test_a_missing_page_is_our_friendly_404_without_details(client_for, nurse, settings):
    settings.DEBUG = False
    response = client_for(nurse).get(f"/patients/{uuid.uuid4()}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We cannot find that page" in html and "Traceback" not in html


def test_a_role_without_access_gets_our_403(client_for, clinic_admin):
    response = client_for(clinic_admin).get(reverse("patients:list"))
    assert response.status_code == 403
    assert "This page is not for your account" in response.content.decode()


def test_the_500_page_needs_no_context_and_leaks_nothing(db):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong on our side" in html and "{{" not in html


def test_a_bad_csrf_token_is_a_page_not_a_crash(nurse):
    client = Client(enforce_csrf_checks=True)
    log_in(client, nurse)
    # Hand-built on purpose: a POST without a CSRF token is what is under test.
    response = client.post(reverse("patients:enroll"), {})
    assert response.status_code == 403
