"""The monitoring plan after Kineret starts (docs/clinical-rules.md, "Monitoring plan").

Pure: dates in, planned checks out. Neutrophil counts at start + 1, 2, 3, 6, 9 and 12 calendar
months (US-PI), each computed from the start date and clamped to the month's end; a baseline on
the start date unless the screening's count was taken within 30 days before it; a vaccination
review on the start date; and an inactivated-influenza check at each flu-season start while
therapy runs (ACR-2022-VAX, ACIP).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from screening.engine.dates import add_months

NEUTROPHIL_MONTHS = (1, 2, 3, 6, 9, 12)
BASELINE_MAX_AGE_DAYS = 30


class Kind(StrEnum):
    NEUTROPHIL_COUNT = "neutrophil_count"
    VACCINATION_REVIEW = "vaccination_review"
    INFLUENZA_VACCINATION = "influenza_vaccination"


@dataclass(frozen=True, order=True)
class PlannedCheck:
    due: dt.date
    kind: Kind
    label: str


def baseline_needed(start: dt.date, anc_sampled_on: dt.date | None) -> bool:
    if anc_sampled_on is None or anc_sampled_on > start:
        return True
    return (start - anc_sampled_on).days > BASELINE_MAX_AGE_DAYS


def flu_season_starts(start: dt.date, until: dt.date, season: tuple[int, int]) -> list[dt.date]:
    """Each flu-season start on or after ``start`` and on or before ``until``."""
    month, day = season
    dates = []
    year = start.year
    while True:
        candidate = dt.date(year, month, day)
        if candidate > until:
            return dates
        if candidate >= start:
            dates.append(candidate)
        year += 1


def plan_monitoring(
    *,
    start: dt.date,
    anc_sampled_on: dt.date | None,
    flu_season: tuple[int, int],
    until: dt.date | None = None,
) -> list[PlannedCheck]:
    """The checks from ``start`` up to ``until`` (default: the 12-month neutrophil check).

    Calling it again with a later ``until`` adds later flu-season checks and nothing else, so a
    plan can be extended year by year while therapy continues.
    """
    last_neutrophil = add_months(start, NEUTROPHIL_MONTHS[-1])
    until = until or last_neutrophil
    checks = [PlannedCheck(start, Kind.VACCINATION_REVIEW, "Vaccination review")]
    if baseline_needed(start, anc_sampled_on):
        checks.append(PlannedCheck(start, Kind.NEUTROPHIL_COUNT, "Baseline neutrophil count"))
    for months in NEUTROPHIL_MONTHS:
        due = add_months(start, months)
        if due <= until:
            checks.append(
                PlannedCheck(due, Kind.NEUTROPHIL_COUNT, f"Neutrophil count, month {months}")
            )
    checks.extend(influenza_check(day) for day in flu_season_starts(start, until, flu_season))
    return sorted(checks)


def influenza_check(season_start: dt.date) -> PlannedCheck:
    season = f"{season_start.year}–{(season_start.year + 1) % 100:02d}"
    return PlannedCheck(
        season_start, Kind.INFLUENZA_VACCINATION, f"Influenza vaccination, {season} season"
    )
