"""The monitoring plan after Kineret starts (docs/clinical-rules.md, "Monitoring plan").

Pure: dates in, planned checks out. Neutrophil counts at start + 1, 2, 3, 6, 9 and 12 calendar
months (US-PI), each computed from the start date and clamped to the month's end; a baseline on
the start date unless the screening's count was taken within 30 days before it; a vaccination
review on the start date; and an inactivated-influenza check at each flu-season start while
therapy runs (ACR-2022-VAX, ACIP). An injection-teaching session on the start date and a
response review at start + 12 weeks, then every 6 months from that first review (CLINIC: Kineret
can take weeks to help; the intervals are clinic settings).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from screening.engine.dates import add_months

NEUTROPHIL_MONTHS = (1, 2, 3, 6, 9, 12)
BASELINE_MAX_AGE_DAYS = 30
RESPONSE_REVIEW_WEEKS = 12
RESPONSE_REVIEW_EVERY_MONTHS = 6


class Kind(StrEnum):
    NEUTROPHIL_COUNT = "neutrophil_count"
    VACCINATION_REVIEW = "vaccination_review"
    INFLUENZA_VACCINATION = "influenza_vaccination"
    INJECTION_TEACHING = "injection_teaching"
    RESPONSE_REVIEW = "response_review"


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
    review_weeks: int = RESPONSE_REVIEW_WEEKS,
    review_every_months: int = RESPONSE_REVIEW_EVERY_MONTHS,
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
    checks.append(PlannedCheck(start, Kind.INJECTION_TEACHING, "Injection teaching"))
    checks.extend(
        response_reviews(start, start, until, weeks=review_weeks, every_months=review_every_months)
    )
    return sorted(checks)


def response_reviews(
    start: dt.date, since: dt.date, until: dt.date, *, weeks: int, every_months: int
) -> list[PlannedCheck]:
    """Response reviews dated from ``since`` to ``until``: the first at start + ``weeks`` weeks,
    then every ``every_months`` months, each computed from that first review (never chained)."""
    first = start + dt.timedelta(weeks=weeks)
    reviews = []
    n = 0
    while (due := add_months(first, n * every_months)) <= until:
        if due >= since:
            label = "Response review, 12 weeks" if n == 0 else "Response review"
            reviews.append(PlannedCheck(due, Kind.RESPONSE_REVIEW, label))
        n += 1
    return reviews


def influenza_check(season_start: dt.date) -> PlannedCheck:
    season = f"{season_start.year}–{(season_start.year + 1) % 100:02d}"
    return PlannedCheck(
        season_start, Kind.INFLUENZA_VACCINATION, f"Influenza vaccination, {season} season"
    )
