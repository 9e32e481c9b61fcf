"""What the patient's own Kineret diary decides: the injection days of each interval, which of
them were missed, where to inject next, when a staff member must look, and the disease-activity
band of a CDAI score. The course's state (planned, on hold, active, stopped, cancelled) is not
decided here but in followups.rules, its one home.

Pure: dates and values in, answers out; no Django, no clock (``today`` is an argument). Sources
are in docs/clinical-rules.md under "My treatment":
- US-PI: 100 mg once a day; every other day when creatinine clearance is under 30 mL/min.
- CLINIC (the leaflet): injection-site reactions are the commonest side effect; rotate sites;
  report a severe reaction; Kineret can take several weeks to help.
- CLINIC rules where no source says anything: rotation memory (3), the attention thresholds
  (a reaction larger than a hand or lasting over a week; 3 missed doses within 7 days).
- CDAI (Aletaha and Smolen): TJC28 + SJC28 + patient global + evaluator global, with the
  published cut-offs 2.8, 10 and 22.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

DAY = dt.timedelta(days=1)


def gettext_noop(message: str) -> str:
    """Marks a label for `make messages` without importing Django: the core keeps the English
    text, and the pages translate it where they show it (``gettext(label)``)."""
    return message


class Interval(StrEnum):
    DAILY = "daily"
    EVERY_OTHER_DAY = "every_other_day"

    @property
    def step_days(self) -> int:
        return 1 if self is Interval.DAILY else 2


# --- Injection days -----------------------------------------------------------------------------


def is_injection_day(start: dt.date, interval: Interval, day: dt.date) -> bool:
    """Every day from the start for a daily course; every second day counted from the start day
    for an every-other-day course (so the rhythm never drifts with a late or missed dose)."""
    if day < start:
        return False
    return (day - start).days % Interval(interval).step_days == 0


def injection_days(
    start: dt.date, interval: Interval, first: dt.date, last: dt.date
) -> list[dt.date]:
    """The injection days from ``first`` to ``last`` inclusive, none before the start."""
    step = Interval(interval).step_days
    day = max(first, start)
    offset = (day - start).days % step
    if offset:
        day += (step - offset) * DAY
    days = []
    while day <= last:
        days.append(day)
        day += step * DAY
    return days


def next_injection_day(
    start: dt.date, interval: Interval, today: dt.date, *, done_today: bool
) -> dt.date:
    """Today if it is an injection day not yet done, otherwise the next one."""
    if today < start:
        return start
    day = today + DAY if done_today else today
    return injection_days(start, interval, day, day + 2 * DAY)[0]


def missed_days(
    start: dt.date,
    interval: Interval,
    taken: Iterable[dt.date],
    first: dt.date,
    last: dt.date,
) -> list[dt.date]:
    """Injection days from ``first`` to ``last`` with no injection logged on them."""
    taken_days = set(taken)
    return [d for d in injection_days(start, interval, first, last) if d not in taken_days]


@dataclass(frozen=True)
class Adherence:
    first: dt.date
    last: dt.date
    planned: int
    taken: int
    missed: int  # injection days the patient logged as missed
    not_logged: int  # injection days with nothing logged

    @property
    def percent(self) -> int | None:
        return None if not self.planned else round(100 * self.taken / self.planned)


def adherence(
    *,
    start: dt.date,
    interval: Interval,
    taken: Iterable[dt.date],
    missed: Iterable[dt.date],
    today: dt.date,
    stopped_on: dt.date | None = None,
    window_days: int = 30,
) -> Adherence:
    """The last ``window_days`` days up to yesterday; today counts only once it is logged.
    ``stopped_on`` is the course's last day of treatment, so it still counts."""
    taken_days, missed_logged = set(taken), set(missed)
    first = max(start, today - (window_days - 1) * DAY)
    last = today if today in taken_days else today - DAY
    if stopped_on is not None:
        last = min(last, stopped_on)
    planned = injection_days(start, interval, first, last) if first <= last else []
    done = [d for d in planned if d in taken_days]
    logged_missed = [d for d in planned if d in missed_logged and d not in taken_days]
    return Adherence(
        first=first,
        last=last,
        planned=len(planned),
        taken=len(done),
        missed=len(logged_missed),
        not_logged=len(planned) - len(done) - len(logged_missed),
    )


# --- Injection sites ----------------------------------------------------------------------------


class Site(StrEnum):
    """The usual injection sites, in the order the suggestion walks them."""

    ABDOMEN_LEFT = "abdomen_left"
    ABDOMEN_RIGHT = "abdomen_right"
    THIGH_LEFT = "thigh_left"
    THIGH_RIGHT = "thigh_right"
    ARM_LEFT = "arm_left"
    ARM_RIGHT = "arm_right"


SITE_LABELS = {
    Site.ABDOMEN_LEFT: gettext_noop("Tummy, left side"),
    Site.ABDOMEN_RIGHT: gettext_noop("Tummy, right side"),
    Site.THIGH_LEFT: gettext_noop("Left thigh"),
    Site.THIGH_RIGHT: gettext_noop("Right thigh"),
    Site.ARM_LEFT: gettext_noop("Back of left upper arm"),
    Site.ARM_RIGHT: gettext_noop("Back of right upper arm"),
}
# The last few sites used are rested before they are suggested again (CLINIC).
ROTATION_MEMORY = 3


def suggest_site(recent: Sequence[Site | str]) -> Site:
    """The next site: never one of the last ``ROTATION_MEMORY`` used, and among the others the
    one rested longest (never used first), ties broken by the order of ``Site``.

    ``recent`` is the sites used, most recent first.
    """
    recent_sites = [Site(s) for s in recent]
    resting = set(recent_sites[:ROTATION_MEMORY])

    def rested_for(site: Site) -> int:
        return recent_sites.index(site) if site in recent_sites else len(recent_sites) + 1

    candidates = [s for s in Site if s not in resting]
    return max(candidates, key=lambda s: (rested_for(s), -list(Site).index(s)))


# --- Site reactions and attention items ---------------------------------------------------------


class Reaction(StrEnum):
    NONE = "none"
    MILD = "mild"
    LARGE = "large"
    LASTING = "lasting"


REACTION_LABELS = {
    Reaction.NONE: gettext_noop("Nothing to see"),
    Reaction.MILD: gettext_noop("A little redness or itching"),
    Reaction.LARGE: gettext_noop("Swelling or pain bigger than the palm of my hand"),
    Reaction.LASTING: gettext_noop("It has lasted more than a week"),
}
SEVERE_REACTIONS = frozenset({Reaction.LARGE, Reaction.LASTING})


class MissedReason(StrEnum):
    FORGOT = "forgot"
    UNWELL = "unwell"
    TOLD_TO_PAUSE = "told_to_pause"
    NO_SUPPLY = "no_supply"


MISSED_REASON_LABELS = {
    MissedReason.FORGOT: gettext_noop("I forgot"),
    MissedReason.UNWELL: gettext_noop("I was unwell"),
    MissedReason.TOLD_TO_PAUSE: gettext_noop("My care team told me to pause"),
    MissedReason.NO_SUPPLY: gettext_noop("I had no Kineret at home"),
}

MISSED_DOSES_LIMIT = 3
MISSED_DOSES_WINDOW_DAYS = 7


class AttentionCause(StrEnum):
    SITE_REACTION = "SITE_REACTION"
    MISSED_DOSES = "MISSED_DOSES"


def reaction_needs_attention(reaction: Reaction | str | None) -> bool:
    """A reaction larger than a hand, or one lasting more than a week, goes to the nurse."""
    return reaction is not None and reaction != "" and Reaction(reaction) in SEVERE_REACTIONS


def missed_doses_need_attention(missed: Iterable[dt.date], day: dt.date) -> bool:
    """True when some 7-day window that contains ``day`` holds 3 or more missed doses."""
    missed_days_set = set(missed)
    for offset in range(MISSED_DOSES_WINDOW_DAYS):
        window_start = day - offset * DAY
        count = sum(
            1 for i in range(MISSED_DOSES_WINDOW_DAYS) if window_start + i * DAY in missed_days_set
        )
        if count >= MISSED_DOSES_LIMIT:
            return True
    return False


# --- CDAI ---------------------------------------------------------------------------------------


class CdaiBand(StrEnum):
    REMISSION = "remission"
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"


CDAI_BAND_LABELS = {
    CdaiBand.REMISSION: gettext_noop("Remission"),
    CdaiBand.LOW: gettext_noop("Low disease activity"),
    CdaiBand.MODERATE: gettext_noop("Moderate disease activity"),
    CdaiBand.HIGH: gettext_noop("High disease activity"),
}
CDAI_REMISSION_MAX = Decimal("2.8")
CDAI_LOW_MAX = Decimal("10")
CDAI_MODERATE_MAX = Decimal("22")
JOINT_COUNT_MAX = 28
GLOBAL_MAX = Decimal("10")


class CdaiInputError(ValueError):
    """A joint count or global score is outside its range."""


def cdai_score(
    *, tender: int, swollen: int, patient_global: Decimal, evaluator_global: Decimal
) -> Decimal:
    """CDAI = TJC28 + SJC28 + patient global (0-10) + evaluator global (0-10), 0 to 76."""
    for name, count in (("tender", tender), ("swollen", swollen)):
        if not 0 <= count <= JOINT_COUNT_MAX:
            raise CdaiInputError(f"The {name} joint count must be 0 to {JOINT_COUNT_MAX}.")
    for name, value in (("patient", patient_global), ("evaluator", evaluator_global)):
        if not Decimal(0) <= Decimal(value) <= GLOBAL_MAX:
            raise CdaiInputError(f"The {name} global score must be 0 to 10.")
    return Decimal(tender + swollen) + Decimal(patient_global) + Decimal(evaluator_global)


def cdai_band(score: Decimal) -> CdaiBand:
    if score <= CDAI_REMISSION_MAX:
        return CdaiBand.REMISSION
    if score <= CDAI_LOW_MAX:
        return CdaiBand.LOW
    if score <= CDAI_MODERATE_MAX:
        return CdaiBand.MODERATE
    return CdaiBand.HIGH


@dataclass(frozen=True)
class TrendPoint:
    day: dt.date
    score: Decimal
    band: CdaiBand


def cdai_trend(points: Iterable[tuple[dt.date, Decimal]]) -> list[TrendPoint]:
    """Assessments in date order, each with its band."""
    return [TrendPoint(day, score, cdai_band(score)) for day, score in sorted(points)]


def trend_direction(trend: Sequence[TrendPoint]) -> str:
    """'better', 'worse' or 'same' from the last two scores; '' with fewer than two."""
    if len(trend) < 2:
        return ""
    before, after = trend[-2].score, trend[-1].score
    if after < before:
        return "better"
    if after > before:
        return "worse"
    return "same"
