"""The follow-up rules, pure: the course's state, which vaccine completes which check, and which
events become an alert to the rheumatologist (docs/clinical-rules.md, "During therapy",
"Vaccinations" and "Clinic rules"). No Django, no clock: ``today`` is an argument.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from followups.planner import Kind
from screening.engine.neutrophils import Reading, interpret_anc, is_low
from screening.engine.rules import LIVE_VACCINE_GAP
from screening.engine.vaccines import Covers, Vaccine

# CLINIC rule: a fever with a count this recent below 1.5 is treated as urgent.
FEVER_ANC_LOOKBACK = dt.timedelta(days=30)
FEVER_CATEGORIES = frozenset({"fever", "infection"})


class CourseState(StrEnum):
    PLANNED = "planned"  # the start is in the future
    ON_HOLD = "on_hold"  # something unsafe arrived before the start; the clinician decides
    ACTIVE = "active"
    STOPPED = "stopped"
    CANCELLED = "cancelled"  # a planned course that never began


NOT_STARTED = (CourseState.PLANNED, CourseState.ON_HOLD)


def course_state(
    *, start: dt.date, stopped_on: dt.date | None, cancelled: bool, held: bool, today: dt.date
) -> CourseState:
    if cancelled:
        return CourseState.CANCELLED
    if stopped_on is not None:
        return CourseState.STOPPED
    if held:
        return CourseState.ON_HOLD
    return CourseState.PLANNED if start > today else CourseState.ACTIVE


# --- vaccine scopes --------------------------------------------------------------------------

# The vaccination review on the start day covers these (ACR-2022-VAX, ACIP); the flu-season
# check only influenza. The catalogue marks what each non-live vaccine covers.
REVIEW_SCOPE = frozenset({Covers.INFLUENZA, Covers.PNEUMOCOCCUS, Covers.ZOSTER})
FLU_SCOPE = frozenset({Covers.INFLUENZA})
VACCINATION_KINDS = frozenset({Kind.VACCINATION_REVIEW, Kind.INFLUENZA_VACCINATION})


def _in_scope(vaccine: Vaccine | None, scope: frozenset[Covers]) -> bool:
    return vaccine is not None and not vaccine.live and vaccine.covers in scope


def flu_season_opens(season_check_due: dt.date, flu_from: tuple[int, int]) -> dt.date:
    """The first day a vaccine counts for the season whose check is due on that date."""
    month, day = flu_from
    opens = dt.date(season_check_due.year, month, day)
    return opens if opens <= season_check_due else dt.date(season_check_due.year - 1, month, day)


def completes_check(
    *,
    kind: str,
    check_due: dt.date,
    vaccine: Vaccine | None,
    given_on: dt.date,
    flu_from: tuple[int, int],
) -> bool:
    """Whether this vaccination closes a check of ``kind`` due on ``check_due``. Only
    influenza, pneumococcal and recombinant zoster complete the review; only an inactivated
    influenza vaccine given from the season's first vaccination day completes the season."""
    if kind == Kind.VACCINATION_REVIEW:
        return _in_scope(vaccine, REVIEW_SCOPE)
    if kind == Kind.INFLUENZA_VACCINATION:
        opens = flu_season_opens(check_due, flu_from)
        next_opens = dt.date(opens.year + 1, opens.month, opens.day)
        return _in_scope(vaccine, FLU_SCOPE) and opens <= given_on < next_opens
    return False


def live_vaccine_in_course_window(
    *, given_on: dt.date, start: dt.date, stopped_on: dt.date | None
) -> bool:
    """A live vaccine within the 4 weeks before the start, or any time until the last day of
    treatment (US-PI, IDSA-2013)."""
    if given_on <= start - LIVE_VACCINE_GAP:
        return False
    return stopped_on is None or given_on <= stopped_on


# --- alert classification ----------------------------------------------------------------------


class Severity(StrEnum):
    URGENT = "urgent"
    ATTENTION = "attention"


@dataclass(frozen=True)
class AlertSpec:
    severity: Severity
    cause: str
    message: str


def anc_alert(value: Decimal, sample_date: dt.date) -> AlertSpec | None:
    """US-PI monitoring: below 1.0 urgent, below 1.5 attention, otherwise nothing."""
    reading = interpret_anc(value)
    when = f"{sample_date:%d %b %Y}"
    if reading == Reading.URGENT:
        return AlertSpec(
            Severity.URGENT,
            "ANC_BELOW_1_0",
            f"Neutrophil count {value} × 10⁹/L on {when}: below 1.0, consider holding Kineret.",
        )
    if reading == Reading.ATTENTION:
        return AlertSpec(
            Severity.ATTENTION,
            "ANC_BELOW_1_5",
            f"Neutrophil count {value} × 10⁹/L on {when}: between 1.0 and 1.5.",
        )
    return None


def fever_with_low_neutrophils(
    *,
    category: str,
    latest_count: tuple[Decimal, dt.date] | None,
    today: dt.date,
    with_fever: bool = False,
) -> AlertSpec | None:
    """CLINIC rule: a fever or infection report (or another report that says there is a fever,
    ``with_fever``, such as a side effect with a fever) while the latest count in the last 30
    days is below 1.5 is urgent, because an infection with few neutrophils can turn serious
    quickly."""
    if (category not in FEVER_CATEGORIES and not with_fever) or latest_count is None:
        return None
    value, sampled = latest_count
    if today - sampled > FEVER_ANC_LOOKBACK or not is_low(value):
        return None
    return AlertSpec(
        Severity.URGENT,
        "FEVER_WITH_LOW_NEUTROPHILS",
        f"Fever or infection reported with a neutrophil count of {value} × 10⁹/L on "
        f"{sampled:%d %b %Y}: see the patient today.",
    )


def unsafe_before_start_result(value: Decimal) -> bool:
    """A count that would have stopped the start (EU-SmPC) puts a planned course on hold."""
    return is_low(value)


def moved_beyond_window(old: dt.date, new: dt.date, window_days: int) -> bool:
    """A neutrophil check moved further than its due window is a change the clinician hears of."""
    return abs((new - old).days) > window_days
