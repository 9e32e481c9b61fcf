"""What each role sees first. Each builder returns a template name and its context."""

from __future__ import annotations

from django.http import HttpRequest

from clinic_portal.core.clock import clinic_today


def clinician_home(request: HttpRequest) -> tuple[str, dict]:
    return "core/home_clinician.html", {"today": clinic_today()}


def nurse_home(request: HttpRequest) -> tuple[str, dict]:
    return "core/home_nurse.html", {"today": clinic_today()}


def patient_home(request: HttpRequest) -> tuple[str, dict]:
    return "core/home_patient.html", {"today": clinic_today()}


def admin_home(request: HttpRequest) -> tuple[str, dict]:
    return "core/home_admin.html", {"today": clinic_today()}
