"""May a signed screening lead to starting Kineret today? (KINERET.md; CLINIC_SCREENING_VALID_DAYS)

Only a signed screening that was clear, or needs-review with every item acknowledged (both
recorded as the decision "eligible"), not superseded, and signed at most the allowed number of
days ago.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Eligibility:
    allowed: bool
    reason: str


def therapy_eligibility(
    *,
    signed_on: dt.date | None,
    decision: str,
    superseded: bool,
    today: dt.date,
    valid_days: int,
) -> Eligibility:
    if signed_on is None:
        return Eligibility(False, "The screening is not signed yet.")
    if superseded:
        return Eligibility(False, "A newer screening replaces this one.")
    if decision != "eligible":
        return Eligibility(False, "This screening did not clear the patient for Kineret.")
    age = (today - signed_on).days
    if age > valid_days:
        return Eligibility(
            False, f"The screening is {age} days old; screen again (limit {valid_days} days)."
        )
    return Eligibility(True, "Ready to start.")
