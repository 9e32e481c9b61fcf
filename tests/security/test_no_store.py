"""Break 17: every response to a signed-in user says ``Cache-Control: no-store``."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("nurse", "core:home"),
        ("nurse", "patients:list"),
        ("clinician", "followups:worklist"),
        ("patient_user", "core:home"),
        ("patient_user", "portal:profile"),
        ("clinic_admin", "audit:export"),
    ],
)
def test_signed_in_pages_are_not_stored(request, client_for, persona, url):
    response = client_for(request.getfixturevalue(persona)).get(reverse(url))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_admin_site_and_redirects_are_not_stored_either(client_for, clinic_admin, nurse):
    assert "no-store" in client_for(clinic_admin).get("/admin/")["Cache-Control"]
    assert "no-store" in client_for(nurse).get(reverse("accounts:login"))["Cache-Control"]


def test_logging_out_answers_with_no_store(client_for, nurse):
    # Hand-built on purpose: the headers of the answer are under test, not the form.
    response = client_for(nurse).post(reverse("accounts:logout"))
    assert "no-store" in response["Cache-Control"]
