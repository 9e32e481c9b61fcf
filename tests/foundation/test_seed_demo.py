from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from clinic_portal.accounts.models import User
from followups.models import FollowUp, TherapyCourse
from patients.models import Patient


def test_seed_demo_is_idempotent_and_prints_the_logins(db, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    counts = (
        User.objects.count(),
        Patient.objects.count(),
        TherapyCourse.objects.count(),
        FollowUp.objects.count(),
    )
    call_command("seed_demo", stdout=StringIO())
    assert counts == (
        User.objects.count(),
        Patient.objects.count(),
        TherapyCourse.objects.count(),
        FollowUp.objects.count(),
    )
    assert counts[1] == 2 and counts[2] == 1
    assert "clinician@demo.clinic.invalid" in out.getvalue()
    assert all(email.endswith(".invalid") for email in User.objects.values_list("email", flat=True))


def test_seed_demo_refuses_without_debug_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", "--force", stdout=StringIO())
    assert Patient.objects.count() == 2


def test_demo_staff_can_pass_the_second_factor_with_demo_code(db, settings, client):
    from django.urls import reverse

    from clinic_portal.core.demo import DEMO_PASSWORD, demo_code

    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    client.post(
        reverse("accounts:login"),
        {"username": "clinician@demo.clinic.invalid", "password": DEMO_PASSWORD},
    )
    response = client.post(
        reverse("accounts:mfa_verify"), {"code": demo_code("clinician@demo.clinic.invalid")}
    )
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200
    out = StringIO()
    call_command("demo_code", "nurse@demo.clinic.invalid", stdout=out)
    assert out.getvalue().strip().isdigit()
