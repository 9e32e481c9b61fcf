from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class InvalidStoredResult(ValueError):
    """A stored result that ``ScreeningResult.as_dict`` could not have written."""


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

    @property
    def source_ids(self) -> tuple[str, ...]:
        """The source identifiers the rule cites (US-PI, EU-SmPC, ...)."""
        return tuple(s.strip() for s in self.source.split(","))


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

    @classmethod
    def from_stored(cls, data: Mapping[str, Any]) -> ScreeningResult:
        """The result as ``as_dict`` stored it, typed again: every key is required and every
        value checked, so a damaged row fails loudly instead of reading as "nothing fired"."""
        try:
            earliest = data["earliest_start"]
            return cls(
                outcome=Outcome(data["outcome"]),
                contraindications=_codes(data["contraindications"]),
                review_items=_codes(data["review_items"]),
                missing=_codes(data["missing"]),
                dosing=Dosing(data["dosing"]),
                earliest_start=dt.date.fromisoformat(earliest) if earliest is not None else None,
                policy=str(data["policy"]),
                rule_set=str(data["rule_set"]),
                reasons=tuple(
                    Reason(code=r["code"], message=r["message"], source=r["source"])
                    for r in data["reasons"]
                ),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise InvalidStoredResult(f"not a stored screening result: {error!r}") from error

    @property
    def flagged_codes(self) -> frozenset[str]:
        """The codes of every contraindication and review item that fired."""
        return frozenset(self.contraindications) | frozenset(self.review_items)

    def as_dict(self) -> dict[str, Any]:
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


def _codes(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise TypeError("a list of codes")
    return tuple(value)
