"""May a Kineret course start on day D? The one gate (docs/clinical-rules.md, "The start gate").

A signed screening describes the patient on its planned start. Every window in the rules is
measured from that day, so a start on any other day is judged again: the engine is re-run on the
stored answers with ``planned_start = D`` under the clinic's current policy. The start is
allowed only when

- that run is clear, or needs review with every item already acknowledged when signing;
- it fires no code that the signed result did not;
- D is not before the earliest start (the signed result's or the re-run's);
- the screening is at most ``valid_days`` old on D, not on the day the button is pressed;
- no newer screening of the patient has been signed;
- D is not in the past.

Every refusal that applies is returned, each in plain words with what to do next. The form,
the service and the start button all ask this function, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from screening.engine.evaluate import evaluate
from screening.engine.facts import Policy, ScreeningFacts
from screening.engine.result import Outcome, ScreeningResult


class Refusal(StrEnum):
    NOT_SIGNED = "NOT_SIGNED"
    NOT_CLEARED = "NOT_CLEARED"
    NEWER_SCREENING = "NEWER_SCREENING"
    START_IN_PAST = "START_IN_PAST"
    TOO_OLD_ON_START = "TOO_OLD_ON_START"
    BEFORE_EARLIEST_START = "BEFORE_EARLIEST_START"
    CONTRAINDICATED_ON_START = "CONTRAINDICATED_ON_START"
    INCOMPLETE_ON_START = "INCOMPLETE_ON_START"
    UNACKNOWLEDGED_ON_START = "UNACKNOWLEDGED_ON_START"
    NEW_CODES_ON_START = "NEW_CODES_ON_START"


@dataclass(frozen=True)
class SignedScreening:
    """What the gate needs to know about one signed screening."""

    facts: ScreeningFacts
    signed_on: dt.date | None
    eligible: bool  # signed as "may start" (clear, or needs review with every item noted)
    codes: frozenset[str]  # every contraindication and review item of the signed result
    acknowledged: frozenset[str]
    earliest_start: dt.date | None


@dataclass(frozen=True)
class Reason:
    code: Refusal
    message: str


@dataclass(frozen=True)
class GateDecision:
    start: dt.date
    reasons: tuple[Reason, ...]
    run: ScreeningResult | None

    @property
    def allowed(self) -> bool:
        return not self.reasons

    @property
    def codes(self) -> tuple[Refusal, ...]:
        return tuple(reason.code for reason in self.reasons)

    @property
    def message(self) -> str:
        if self.allowed:
            return f"Kineret may start on {self.start:%d %b %Y}."
        return " ".join(reason.message for reason in self.reasons)


def _day(day: dt.date) -> str:
    return f"{day:%d %b %Y}"


def may_start(
    *,
    screening: SignedScreening,
    start: dt.date,
    policy: Policy | str,
    newer_signed_on: Sequence[dt.date],
    today: dt.date,
    valid_days: int,
) -> GateDecision:
    """The gate for a start on ``start``; ``newer_signed_on`` lists the days on which the
    patient's later screenings were signed (empty when this one is the latest)."""
    again = f"Screen again with the planned start {_day(start)}."
    if screening.signed_on is None:
        reason = Reason(Refusal.NOT_SIGNED, "The screening is not signed yet.")
        return GateDecision(start, (reason,), None)
    reasons: list[Reason] = []
    if newer_signed_on:
        reasons.append(
            Reason(
                Refusal.NEWER_SCREENING,
                f"A newer screening was signed on {_day(max(newer_signed_on))}; "
                "it replaces this one. Start from the newest screening.",
            )
        )
    if not screening.eligible:
        reasons.append(
            Reason(Refusal.NOT_CLEARED, "This screening did not clear the patient for Kineret.")
        )
    if start < today:
        reasons.append(
            Reason(Refusal.START_IN_PAST, f"The start date {_day(start)} is in the past.")
        )
    age = (start - screening.signed_on).days
    if age > valid_days:
        reasons.append(
            Reason(
                Refusal.TOO_OLD_ON_START,
                f"On {_day(start)} the screening would be {age} days old (the limit is "
                f"{valid_days} days). {again}",
            )
        )
    run = evaluate(replace(screening.facts, planned_start=start), Policy(policy))
    earliest = max(
        (d for d in (screening.earliest_start, run.earliest_start) if d is not None),
        default=None,
    )
    if earliest is not None and start < earliest:
        reasons.append(
            Reason(
                Refusal.BEFORE_EARLIEST_START,
                f"Kineret may start on {_day(earliest)} at the earliest.",
            )
        )
    reasons.extend(_judge_run(run, screening, start, again))
    return GateDecision(start, tuple(reasons), run)


def _codes(codes: Collection[str]) -> str:
    return ", ".join(codes)


def _judge_run(
    run: ScreeningResult, screening: SignedScreening, start: dt.date, again: str
) -> list[Reason]:
    reasons: list[Reason] = []
    on_start = f"On {_day(start)}"
    if run.outcome == Outcome.CONTRAINDICATED:
        reasons.append(
            Reason(
                Refusal.CONTRAINDICATED_ON_START,
                f"{on_start} the screening is contraindicated "
                f"({_codes(run.contraindications)}). {again}",
            )
        )
    elif run.outcome == Outcome.INCOMPLETE:
        reasons.append(
            Reason(
                Refusal.INCOMPLETE_ON_START,
                f"The screening has unanswered questions ({_codes(run.missing)}). {again}",
            )
        )
    else:
        waiting = [code for code in run.review_items if code not in screening.acknowledged]
        if waiting:
            reasons.append(
                Reason(
                    Refusal.UNACKNOWLEDGED_ON_START,
                    f"{on_start} these items need a review the signed screening did not "
                    f"record: {_codes(waiting)}. {again}",
                )
            )
    new = [
        code for code in (*run.contraindications, *run.review_items) if code not in screening.codes
    ]
    if new:
        reasons.append(
            Reason(
                Refusal.NEW_CODES_ON_START,
                f"{on_start} the rules give findings the signed screening did not: "
                f"{_codes(new)}. {again}",
            )
        )
    return reasons
