from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

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
    assert counts[1] == 3 and counts[2] == 2
    assert "clinician@demo.clinic.invalid" in out.getvalue()
    assert all(email.endswith(".invalid") for email in User.objects.values_list("email", flat=True))


def test_seed_demo_refuses_without_debug_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", "--force", stdout=StringIO())
    assert Patient.objects.count() == 3


def test_demo_staff_can_pass_the_second_factor_with_demo_code(db, settings, django_app):
    from django.urls import reverse

    from care.demo import DEMO_PASSWORD, demo_code
    from tests.support.web import type_code, type_password

    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    logged_in = type_password(django_app, "clinician@demo.clinic.invalid", DEMO_PASSWORD)
    code_page = logged_in.follow().maybe_follow()
    response = type_code(code_page, demo_code("clinician@demo.clinic.invalid"))
    assert response.status_code == 302
    assert django_app.get(reverse("core:home")).status_code == 200
    out = StringIO()
    call_command("demo_code", "nurse@demo.clinic.invalid", stdout=out)
    assert out.getvalue().strip().isdigit()


def test_the_demo_invites_nobody_since_its_patients_are_already_active(db, settings, mailoutbox):
    from clinic_portal.notifications.models import OutboundEmail
    from portal.models import Invitation

    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    assert Patient.objects.filter(user__is_active=True).count() == 3
    assert not Invitation.objects.exists()
    assert not OutboundEmail.objects.filter(purpose="invitation").exists()
    assert not [m for m in mailoutbox if "invitation" in m.subject.lower()]


def test_demo_logins_prints_the_accounts_and_the_demo_code_command_in_a_box(db, settings):
    settings.DEBUG = True
    settings.SITE_URL = "http://127.0.0.1:8123"
    call_command("seed_demo", stdout=StringIO())
    out = StringIO()
    call_command("demo_logins", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("┌") and lines[-1].startswith("└")
    text = out.getvalue()
    assert "running at http://127.0.0.1:8123/" in text
    assert "clinician@demo.clinic.invalid" in text and "margaret@demo.clinic.invalid" in text
    assert "DJANGO_DEBUG=1 .venv/bin/python manage.py demo_code EMAIL" in text


def test_demo_code_as_the_readme_writes_it_and_a_one_line_refusal_without_debug(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_DEBUG", "DATABASE_URL"}}
    env["CLINIC_VAR_DIR"] = str(tmp_path)
    refused = subprocess.run(
        [sys.executable, "manage.py", "demo_code", "nurse@demo.clinic.invalid"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert refused.returncode != 0
    assert refused.stderr.strip().count("\n") == 0, refused.stderr
    assert "DJANGO_DEBUG" in refused.stderr and "Traceback" not in refused.stderr
    env["DJANGO_DEBUG"] = "1"  # the README's command: DJANGO_DEBUG=1 .venv/bin/python manage.py …
    for args in (["migrate", "--no-input"], ["seed_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=root, env=env, check=True, capture_output=True
        )
    code = subprocess.run(
        [sys.executable, "manage.py", "demo_code", "nurse@demo.clinic.invalid"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert code.stdout.strip().isdigit() and len(code.stdout.strip()) == 6


def test_every_demo_course_starts_after_its_screening_was_signed(db, settings):
    """Clinically coherent demo data: screened, signed, then started, in that order."""
    from clinic_portal.core.clock import clinic_today

    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    today = clinic_today()
    courses = TherapyCourse.objects.select_related("screening")
    assert courses.count() == 2
    for course in courses:
        screening = course.screening
        assert screening.signed_at is not None
        signed_on = timezone.localdate(screening.signed_at)
        assert screening.created_at <= screening.signed_at <= course.started_at
        assert signed_on <= course.start_date
        assert screening.outcome in {"clear", "needs_review"}
        assert screening.anc_sampled_on <= signed_on
    states = {course.patient.mrn: course.state_on(today) for course in courses}
    assert states == {"DEMO0001": "active", "DEMO0003": "planned"}
