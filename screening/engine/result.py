from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class Outcome(StrEnum):
    """In order of precedence: the first that applies is the outcome."""

    CONTRAINDICATED = "contraindicated"
    INCOMPLETE = "incomplete"
    NEEDS_REVIEW = "needs_review"
    CLEAR = "clear"

    @property
    def severity(self) -> int:
        """Higher is more severe; used to compare outcomes."""
        return {"clear": 0, "needs_review": 1, "incomplete": 2, "contraindicated": 3}[self.value]


class Dosing(StrEnum):
    DAILY = "daily"
    EVERY_OTHER_DAY = "every_other_day"


@dataclass(frozen=True)
class Reason:
    code: str
    message: str
    source: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "source": self.source}


@dataclass(frozen=True)
class ScreeningResult:
    outcome: Outcome
    contraindications: tuple[str, ...]
    review_items: tuple[str, ...]
    missing: tuple[str, ...]
    dosing: Dosing
    earliest_start: dt.date | None
    policy: str
    rule_set: str
    reasons: tuple[Reason, ...]

    def as_dict(self) -> dict:
        """The JSON shape of the evaluate_screening command, also what the database stores."""
        return {
            "outcome": self.outcome.value,
            "contraindications": list(self.contraindications),
            "review_items": list(self.review_items),
            "missing": list(self.missing),
            "dosing": self.dosing.value,
            "earliest_start": self.earliest_start.isoformat() if self.earliest_start else None,
            "policy": self.policy,
            "rule_set": self.rule_set,
            "reasons": [reason.as_dict() for reason in self.reasons],
        }
