"""The patient record's therapy, neutrophil, vaccination and alert sections."""

from __future__ import annotations

import datetime as dt

from followups import selectors
from followups.chart import neutrophil_chart
from followups.models import ANC_ATTENTION, ANC_URGENT, FollowUp
from screening.selectors import eligibility_of, latest_current


def therapy_context(patient, user, today: dt.date) -> dict:
    therapy = selectors.active_therapy(patient)
    startable = None
    if therapy is None:
        candidate = latest_current(patient)
        if (
            candidate is not None
            and not hasattr(candidate, "therapy")
            and eligibility_of(candidate, today).allowed
        ):
            startable = candidate
    followups = FollowUp.objects.filter(patient=patient).order_by("due_date", "id")
    return {
        "therapy": therapy,
        "startable": startable,
        "last_stopped": None
        if therapy
        else patient.therapies.filter(stopped_on__isnull=False).first(),
        "followups": [(f, f.status_on(today).value.replace("_", " ")) for f in followups],
    }


def neutrophil_context(patient, user, today: dt.date) -> dict:
    results = selectors.current_results(patient)
    return {
        "results": results,
        "chart": neutrophil_chart(
            [(r.sample_date, r.value, r.interpretation) for r in results],
            urgent_below=ANC_URGENT,
            attention_below=ANC_ATTENTION,
        ),
    }


def vaccination_context(patient, user, today: dt.date) -> dict:
    return {"vaccinations": list(patient.vaccinations.all())}


def alert_context(patient, user, today: dt.date) -> dict:
    return {"alerts": list(patient.alerts.all()[:20])}
