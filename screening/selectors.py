from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from screening.engine import facts_from_dict
from screening.engine.allergy_agreement import AllergyDisagreement, allergy_disagreement
from screening.engine.gate import GateDecision, SignedScreening, may_start
from screening.engine.medications import MedicineDifference, medicine_difference
from screening.engine.rules import RULES_BY_CODE, SOURCES
from screening.models import Screening


def planned_start_of(screening: Screening) -> dt.date | None:
    planned = (screening.answers or {}).get("planned_start")
    try:
        return dt.date.fromisoformat(planned) if planned else None
    except (TypeError, ValueError):
        return None


def default_start(screening: Screening, today: dt.date) -> dt.date:
    """The screening's planned start, or today when that day has passed."""
    planned = planned_start_of(screening)
    return planned if planned and planned >= today else today


def _signed_view(screening: Screening) -> SignedScreening:
    evaluation = screening.evaluation
    return SignedScreening(
        facts=facts_from_dict(screening.answers),
        signed_on=timezone.localdate(screening.signed_at) if screening.signed_at else None,
        eligible=screening.decision == Screening.Decision.ELIGIBLE,
        codes=evaluation.flagged_codes if evaluation else frozenset(),
        acknowledged=frozenset(screening.acknowledgements.values_list("code", flat=True)),
        earliest_start=evaluation.earliest_start if evaluation else None,
    )


def start_gate(screening: Screening, *, start: dt.date, today: dt.date) -> GateDecision:
    """The start gate (screening.engine.gate) for this screening and a start on ``start``."""
    newer = (
        Screening.objects.signed()
        .filter(patient_id=screening.patient_id, signed_at__gt=screening.signed_at)
        .values_list("signed_at", flat=True)
        if screening.signed_at
        else []
    )
    return may_start(
        screening=_signed_view(screening),
        start=start,
        policy=settings.CLINIC_SCREENING_POLICY,
        newer_signed_on=[timezone.localdate(at) for at in newer],
        today=today,
        valid_days=settings.CLINIC_SCREENING_VALID_DAYS,
    )


def explained_reasons(screening: Screening) -> list[dict[str, Any]]:
    """Each code of a result with its message, sources spelled out, and its acknowledgement."""
    evaluation = screening.evaluation
    if evaluation is None:
        return []
    acknowledgements = {
        a.code: a for a in screening.acknowledgements.select_related("acknowledged_by")
    }
    contraindications = set(evaluation.contraindications)
    return [
        {
            **reason.as_dict(),
            "is_contraindication": reason.code in contraindications,
            "sources": [(s, SOURCES.get(s, s)) for s in reason.source_ids],
            "acknowledgement": acknowledgements.get(reason.code),
            "known_rule": reason.code in RULES_BY_CODE,
        }
        for reason in evaluation.reasons
    ]


def history_for(patient) -> list[Screening]:
    return list(
        Screening.objects.filter(patient=patient)
        .select_related("signed_by", "created_by", "supersedes", "superseded_by")
        .order_by("-created_at", "-id")
    )


def latest_current(patient) -> Screening | None:
    return Screening.objects.current().filter(patient=patient).order_by("-signed_at").first()


def latest_current_of(history: list[Screening]) -> Screening | None:
    """``latest_current`` from a patient's ``history_for`` list, without another query: the
    latest signed screening that no signed amendment has replaced."""
    current = [(s.signed_at, s) for s in history if s.signed_at and not s.is_superseded]
    return max(current, key=lambda signed: signed[0])[1] if current else None


@dataclass(frozen=True)
class MedicinesNote:
    """The record's current medicines against the latest signed screening's."""

    screening: Screening
    difference: MedicineDifference


def medicines_note(patient, *, latest: Screening | None = None) -> MedicinesNote | None:
    """Where the record's current medicines differ from the patient's latest signed screening,
    what differs; ``None`` when they agree or nothing is signed. ``latest`` saves the query
    when the caller has it."""
    latest = latest if latest is not None else latest_current(patient)
    listed = (latest.answers or {}).get("medications") if latest else None
    if latest is None or not isinstance(listed, list):
        return None
    difference = medicine_difference(listed, patient.medication_lines)
    return MedicinesNote(latest, difference) if difference else None


@dataclass(frozen=True)
class AllergiesNote:
    """The record's allergies against the latest signed screening's answers."""

    screening: Screening
    disagreement: AllergyDisagreement


def allergies_note(
    patient, *, latest: Screening | None = None, record_lists: bool | None = None
) -> AllergiesNote | None:
    """Where the record's allergies contradict the patient's latest signed screening, how;
    ``None`` when they agree or nothing is signed. ``latest`` and ``record_lists`` save queries
    when the caller has them."""
    latest = latest if latest is not None else latest_current(patient)
    if latest is None:
        return None
    if record_lists is None:
        record_lists = patient.allergies.exists()
    disagreement = allergy_disagreement(
        latest.answers or {},
        record_lists=record_lists,
        record_says_none=bool(patient.no_known_allergies),
    )
    return AllergiesNote(latest, disagreement) if disagreement else None


def medicines_offer(screening: Screening) -> MedicinesNote | None:
    """The offer to update the record from this screening: only on the latest signed one."""
    if not screening.is_signed or screening.is_superseded:
        return None
    latest = latest_current(screening.patient)
    if latest is None or latest.pk != screening.pk:
        return None
    return medicines_note(screening.patient, latest=screening)
