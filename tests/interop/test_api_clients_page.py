"""The clinic admin creates an API client (token shown once), then revokes it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from clinic_portal.audit.models import AuditEvent
from interop.models import ApiClient

pytestmark = pytest.mark.django_db


def test_the_admin_creates_a_client_sees_the_token_once_and_revokes_it(
    web_as, clinic_admin, patient
):
    app = web_as(clinic_admin)
    page = app.get(reverse("interop:api_clients"))
    form = next(f for f in page.forms.values() if "name" in f.fields)
    form["name"] = "County Hospital"
    form["scopes"] = ["patient/*.read"]
    created = form.submit()
    token = created.html.select_one("[data-testid=new-token]").get_text()
    assert token.startswith("cpf_")
    client = ApiClient.objects.get()
    assert client.scopes == ["patient/*.read"]
    assert client.created_by == clinic_admin
    assert token not in app.get(reverse("interop:api_clients")).text  # shown once
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get(f"/fhir/R4/Patient/{patient.uuid}").status_code == 200

    confirm = app.get(reverse("interop:revoke_api_client", args=[client.uuid]))
    revoke = next(
        f
        for f in confirm.forms.values()
        if f.method.upper() == "POST"
        and "csrfmiddlewaretoken" in f.fields
        and "Revoke" in str(f.html)
    )
    revoke.submit().follow()
    client.refresh_from_db()
    assert not client.is_active
    assert api.get(f"/fhir/R4/Patient/{patient.uuid}").status_code == 401
    assert AuditEvent.objects.filter(action="api_client.revoke", actor=clinic_admin).exists()


def test_a_client_needs_a_name_and_a_scope(web_as, clinic_admin):
    page = web_as(clinic_admin).get(reverse("interop:api_clients"))
    form = next(f for f in page.forms.values() if "name" in f.fields)
    answer = form.submit(status=400)
    assert "This field is required" in answer.text
    assert not ApiClient.objects.exists()


def test_staff_cannot_manage_clients(client_for, nurse):
    assert client_for(nurse).get(reverse("interop:api_clients")).status_code == 403
