"""What each role sees first. Each builder returns a template name and its context."""

from __future__ import annotations

from django.http import HttpRequest

from clinic_portal.core.clock import clinic_today
from education.selectors import materials_for
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


CHECK_PURPOSE = {
    "neutrophil_count": "A blood test to check your white blood cells, which Kineret can lower.",
    "vaccination_review": "A look at your vaccinations, to keep you protected while on Kineret.",
    "influenza_vaccination": "Your yearly flu jab (the injected kind, never the nasal spray).",
}


def patient_home(request: HttpRequest) -> tuple[str, dict]:
    today = clinic_today()
    patient = Patient.objects.filter(user=request.user).first()
    checks = []
    materials = []
    course = None
    if patient is not None:
        course = followup_selectors.ongoing_course(patient)
        checks = [
            {
                "followup": f,
                "status": f.status_on(today).value,
                "purpose": CHECK_PURPOSE.get(f.kind, ""),
            }
            for f in followup_selectors.next_checks(patient)
        ]
        materials = [m for m in materials_for(patient) if m.assigned and m.status != "read"]
    return "core/home_patient.html", {
        "today": today,
        "patient": patient,
        "checks": checks,
        "any_overdue": any(c["status"] == "overdue" for c in checks),
        "course": course,
        "course_state": course.state_on(today).value if course else "",
        "unread": materials,
    }


def admin_home(request: HttpRequest) -> tuple[str, dict]:
    return "core/home_admin.html", {"today": clinic_today()}
