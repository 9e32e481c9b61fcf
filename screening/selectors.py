from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from screening.eligibility import Eligibility, therapy_eligibility
from screening.engine.rules import RULES_BY_CODE, SOURCES
from screening.models import Screening


def eligibility_of(screening: Screening, today: dt.date) -> Eligibility:
    return therapy_eligibility(
        signed_on=timezone.localdate(screening.signed_at) if screening.signed_at else None,
        decision=screening.decision,
        superseded=screening.is_superseded,
        today=today,
        valid_days=settings.CLINIC_SCREENING_VALID_DAYS,
    )


def explained_reasons(screening: Screening) -> list[dict]:
    """Each code of a result with its message, sources spelled out, and its acknowledgement."""
    if not screening.result:
        return []
    acknowledgements = {
        a.code: a for a in screening.acknowledgements.select_related("acknowledged_by")
    }
    contraindications = set(screening.result["contraindications"])
    rows = []
    for reason in screening.result["reasons"]:
        source_ids = [s.strip() for s in reason["source"].split(",")]
        rows.append(
            {
                **reason,
                "is_contraindication": reason["code"] in contraindications,
                "sources": [(s, SOURCES.get(s, s)) for s in source_ids],
                "acknowledgement": acknowledgements.get(reason["code"]),
                "known_rule": reason["code"] in RULES_BY_CODE,
            }
        )
    return rows


def history_for(patient) -> list[Screening]:
    return list(
        Screening.objects.filter(patient=patient)
        .select_related("signed_by", "created_by", "supersedes", "superseded_by")
        .order_by("-created_at", "-id")
    )


def latest_current(patient) -> Screening | None:
    return Screening.objects.current().filter(patient=patient).order_by("-signed_at").first()
