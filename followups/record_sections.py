"""The patient record's therapy, neutrophil, vaccination and alert sections."""

from __future__ import annotations

import datetime as dt

from followups import selectors
from followups.chart import neutrophil_chart
from followups.models import STATUS_LABELS, FollowUp
from screening.engine.neutrophils import ANC_LOW_BELOW, ANC_URGENT_BELOW
from screening.selectors import default_start, latest_current, start_gate

_UNREAD = object()


def therapy_context(patient, user, today: dt.date, *, latest_screening=_UNREAD) -> dict:
    """Where the patient is with Kineret, and what the rheumatologist may do next: the ongoing
    course, else whether the latest signed screening allows a start, else how the last course
    ended. ``latest_screening``: the latest current screening when the caller has read it."""
    therapy = selectors.ongoing_course(patient)
    startable, startable_on = None, None
    if therapy is None:
        candidate = latest_current(patient) if latest_screening is _UNREAD else latest_screening
        if candidate is not None and not _has_course(patient, candidate):
            day = default_start(candidate, today)
            if start_gate(candidate, start=day, today=today).allowed:
                startable, startable_on = candidate, day
    return {
        "therapy": therapy,
        "therapy_state": therapy.state_on(today).value if therapy else "",
        "startable": startable,
        "startable_on": startable_on,
        "last_ended": None if therapy else _latest_course(patient),
    }


def checks_context(patient, user, today: dt.date) -> dict:
    """The therapy's state and every check planned for the patient, oldest due first."""
    followups = FollowUp.objects.filter(patient=patient).order_by("due_date", "id")
    return {
        **therapy_context(patient, user, today),
        "followups": [
            (f, status.value, STATUS_LABELS[status])
            for f, status in ((f, f.status_on(today)) for f in followups)
        ],
    }


def _has_course(patient, screening) -> bool:
    loaded = getattr(patient, "loaded_courses", None)  # the record page loads them once
    if loaded is not None:
        return any(course.screening_id == screening.pk for course in loaded)
    return hasattr(screening, "therapy")


def _latest_course(patient):
    loaded = getattr(patient, "loaded_courses", None)  # the record page loads them once
    if loaded is not None:
        return loaded[0] if loaded else None
    return patient.therapies.first()


def neutrophil_context(patient, user, today: dt.date) -> dict:
    results = selectors.current_results(patient)
    return {
        "results": results,
        "chart": neutrophil_chart(
            [(r.sample_date, r.value, r.interpretation) for r in results],
            urgent_below=ANC_URGENT_BELOW,
            attention_below=ANC_LOW_BELOW,
        ),
    }


def vaccination_context(patient, user, today: dt.date) -> dict:
    return {"vaccinations": list(patient.vaccinations.all())}


def alert_context(patient, user, today: dt.date) -> dict:
    return {"alerts": list(patient.alerts.all()[:20])}
