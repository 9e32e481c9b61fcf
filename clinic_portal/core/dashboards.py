"""What each role sees first. Each builder returns a template name and its context."""

from __future__ import annotations

from django.http import HttpRequest

from clinic_portal.core.clock import clinic_today
from followups import selectors as followup_selectors
from patients.models import Patient


def clinician_home(request: HttpRequest) -> tuple[str, dict]:
    awaiting = (
        Patient.objects.active()
        .filter(responsible_clinician=request.user)
        .exclude(screenings__signed_at__isnull=False)
        .order_by("family_name", "given_name")[:10]
    )
    return "core/home_clinician.html", {
        "today": clinic_today(),
        "awaiting_screening": list(awaiting),
        "open_alerts": followup_selectors.open_alerts_for(request.user),
    }


def nurse_home(request: HttpRequest) -> tuple[str, dict]:
    today = clinic_today()
    return "core/home_nurse.html", {
        "today": today,
        "counts": followup_selectors.summary_counts(today),
    }


def patient_home(request: HttpRequest) -> tuple[str, dict]:
    return "core/home_patient.html", {"today": clinic_today()}


def admin_home(request: HttpRequest) -> tuple[str, dict]:
    return "core/home_admin.html", {"today": clinic_today()}
