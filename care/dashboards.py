"""What each role sees first. Each builder takes the user and the clinic's today and returns a
template name and its context."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext_lazy

from clinic_portal.accounts.models import User
from education.models import Page
from education.selectors import materials_for, unread_essentials
from followups import selectors as followup_selectors
from followups.models import TherapyCourse
from followups.summary import latest_counts, therapy_states
from patients.models import Patient
from portal.models import Concern
from screening.models import Screening

PLANNED_STARTS_DAYS = 14
HOME_ROWS = 10


def _waiting_screenings(clinician) -> list[Screening]:
    """Unsigned screenings of the clinician's patients, the ones needing a decision first."""
    drafts = (
        Screening.objects.filter(
            signed_at__isnull=True,
            patient__responsible_clinician=clinician,
            patient__archived_at__isnull=True,
        )
        .select_related("patient")
        .order_by("created_at")
    )
    rank = {"needs_review": 0, "contraindicated": 1, "clear": 2, "incomplete": 3, "": 4}
    return sorted(drafts[:HOME_ROWS], key=lambda s: (rank.get(s.outcome, 5), s.created_at))


def _unread_by_patient(clinician) -> list[dict]:
    rows: dict[int, dict] = {}
    assignments = unread_essentials().filter(patient__responsible_clinician=clinician)
    for assignment in assignments[:100]:
        row = rows.setdefault(
            assignment.patient_id,
            {"patient": assignment.patient, "pages": [], "since": assignment.assigned_at},
        )
        row["pages"].append(assignment.page.title)
    return list(rows.values())[:HOME_ROWS]


def clinician_home(user: User, today: dt.date) -> tuple[str, dict]:
    """The rheumatologist's day: what needs a decision, most pressing first."""
    mine = Patient.objects.active().filter(responsible_clinician=user)
    awaiting = mine.exclude(screenings__isnull=False).order_by("family_name", "given_name")[
        :HOME_ROWS
    ]
    planned = (
        # Planned and on-hold courses (the lifecycle of followups.rules); an on-hold one is
        # marked, since it waits for the rheumatologist to confirm or postpone it.
        TherapyCourse.objects.ongoing()
        .filter(
            start_date__gte=today,
            start_date__lte=today + dt.timedelta(days=PLANNED_STARTS_DAYS),
            patient__in=mine,
        )
        .select_related("patient")
        .order_by("start_date")[:HOME_ROWS]
    )
    escalated = (
        Concern.objects.filter(status=Concern.Status.ESCALATED, patient__in=mine)
        .select_related("patient")
        .order_by("-urgent", "created_at")[:HOME_ROWS]
    )
    return "core/home_clinician.html", {
        "today": today,
        "open_alerts": followup_selectors.open_alerts_for(user),
        "waiting_screenings": _waiting_screenings(user),
        "planned_starts": list(planned),
        "planned_days": PLANNED_STARTS_DAYS,
        "escalated": list(escalated),
        "unread": _unread_by_patient(user),
        "pages_for_review": list(
            Page.objects.filter(review_requested_at__isnull=False)
            .select_related("review_requested_by")
            .order_by("review_requested_at")[:HOME_ROWS]
        ),
        "awaiting_screening": list(awaiting),
    }


def nurse_home(user: User, today: dt.date) -> tuple[str, dict]:
    """The nurse's day: urgent patient reports first, then the checks due."""
    reports = list(
        Concern.objects.exclude(status=Concern.Status.RESOLVED)
        .filter(Q(urgent=True) | Q(status=Concern.Status.NEW))
        .select_related("patient")
        .order_by("-urgent", "created_at")[:HOME_ROWS]
    )
    patient_ids = {report.patient_id for report in reports}
    states = therapy_states(patient_ids, today)
    counts = latest_counts(patient_ids)
    return "core/home_nurse.html", {
        "today": today,
        "reports": [
            {"concern": c, "therapy": states[c.patient_id], "count": counts.get(c.patient_id)}
            for c in reports
        ],
        "day": followup_selectors.nurse_day(today),
        "counts": followup_selectors.summary_counts(today),
    }


CHECK_PURPOSE = {
    "neutrophil_count": gettext_lazy(
        "A blood test to check your white blood cells, which Kineret can lower."
    ),
    "vaccination_review": gettext_lazy(
        "A look at your vaccinations, to keep you protected while on Kineret."
    ),
    "influenza_vaccination": gettext_lazy(
        "Your yearly flu jab (the injected kind, never the nasal spray)."
    ),
    "injection_teaching": gettext_lazy("Your nurse shows you how to give yourself the injection."),
    "response_review": gettext_lazy(
        "A visit with your rheumatologist to see how well Kineret is working."
    ),
}


def patient_home(user: User, today: dt.date) -> tuple[str, dict]:
    patient = Patient.objects.filter(user=user).first()
    checks = []
    materials = []
    if patient is not None:
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
        "unread": materials,
    }


def admin_home(user: User, today: dt.date) -> tuple[str, dict]:
    return "core/home_admin.html", {"today": today}
