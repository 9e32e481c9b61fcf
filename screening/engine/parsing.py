"""Strict conversion between JSON-shaped dicts and ``ScreeningFacts``.

Anything doubtful is an error naming the field, never a silent default: a typo in a field name
must not pass as an unanswered question, and "true" (a string) is not a yes.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import MISSING, fields
from enum import StrEnum
from types import UnionType
from typing import Any, get_args, get_type_hints

from screening.engine.facts import (
    FIELD_NAMES,
    IMPLIED_NO_BY,
    ScreeningFacts,
    VaccineRecord,
    is_asked,
)


class InvalidFacts(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _answer_type(name: str) -> Any:
    """The declared type of a question, without its ``| None``."""
    hint = _HINTS[name]
    if isinstance(hint, UnionType):
        (answer,) = [t for t in get_args(hint) if t is not type(None)]
        return answer
    return hint


# Every set below is read off the ScreeningFacts dataclass, where each question is declared once.
_HINTS = get_type_hints(ScreeningFacts)
_FIELDS = fields(ScreeningFacts)
DATE_FIELDS = frozenset(f.name for f in _FIELDS if _answer_type(f.name) is dt.date)
BOOL_FIELDS = frozenset(f.name for f in _FIELDS if _answer_type(f.name) is bool)
# Plausible ranges: a value outside is a typing or unit error, not a patient.
NUMBER_RANGES: dict[str, tuple[float, float, str]] = {
    f.name: f.metadata["range"] for f in _FIELDS if "range" in f.metadata
}
ENUM_FIELDS: dict[str, type[StrEnum]] = {
    f.name: _answer_type(f.name)
    for f in _FIELDS
    if isinstance(_answer_type(f.name), type) and issubclass(_answer_type(f.name), StrEnum)
}
VACCINE_LIST_FIELDS = frozenset(
    f.name for f in _FIELDS if _answer_type(f.name) == tuple[VaccineRecord, ...]
)
STRING_LIST_FIELDS = frozenset(f.name for f in _FIELDS if _answer_type(f.name) == tuple[str, ...])
# Optional fields with a default other than "missing" (docs/clinical-rules.md).
DEFAULTS = {
    f.name: f.default
    for f in _FIELDS
    if f.default is not None and f.default is not MISSING and f.name not in VACCINE_LIST_FIELDS
}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(name: str, value: Any) -> dt.date:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise InvalidFacts(name, "must be a date written YYYY-MM-DD.")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidFacts(name, f"{value} is not a real date.") from None


def _number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidFacts(name, "must be a number.")
    if not math.isfinite(value):
        raise InvalidFacts(name, "must be a finite number.")
    low, high, unit = NUMBER_RANGES[name]
    if value < 0:
        raise InvalidFacts(name, "cannot be negative.")
    if not low <= value <= high:
        raise InvalidFacts(name, f"must be between {low:g} and {high:g} {unit}.")
    return float(value)


def _vaccines(name: str, value: Any) -> tuple[VaccineRecord, ...]:
    if not isinstance(value, list):
        raise InvalidFacts(name, "must be a list of {name, date} objects.")
    records = []
    for index, item in enumerate(value):
        where = f"{name}[{index}]"
        if not isinstance(item, dict):
            raise InvalidFacts(where, "must be an object with name and date.")
        unknown = set(item) - {"name", "date"}
        if unknown:
            raise InvalidFacts(f"{where}.{sorted(unknown)[0]}", "is not a known field.")
        vaccine_name = item.get("name")
        if not isinstance(vaccine_name, str) or not vaccine_name.strip():
            raise InvalidFacts(f"{where}.name", "must be a non-empty string.")
        records.append(
            VaccineRecord(vaccine_name.strip(), parse_date(f"{where}.date", item.get("date")))
        )
    return tuple(records)


def _medications(name: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise InvalidFacts(name, "must be a list of strings.")
    if not all(isinstance(item, str) for item in value):
        raise InvalidFacts(name, "must contain only strings.")
    return tuple(item.strip() for item in value if item.strip())


def _convert(name: str, value: Any) -> Any:
    if name in DATE_FIELDS:
        return parse_date(name, value)
    if name in BOOL_FIELDS:
        if not isinstance(value, bool):
            raise InvalidFacts(name, "must be true or false.")
        return value
    if name in NUMBER_RANGES:
        return _number(name, value)
    if name in ENUM_FIELDS:
        enum = ENUM_FIELDS[name]
        allowed = [member.value for member in enum]
        if value not in allowed:
            raise InvalidFacts(name, f"must be one of {', '.join(allowed)}.")
        return enum(value)
    if name in VACCINE_LIST_FIELDS:
        return _vaccines(name, value)
    if name in STRING_LIST_FIELDS:
        return _medications(name, value)
    raise InvalidFacts(name, "is not a known field.")  # pragma: no cover - guarded by caller


def asked_answers(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` without the answers to follow-up questions that its own answers do not ask
    (``facts.ASKED_WHEN``): a latent-TB treatment date after a negative test, pregnancy answers
    for a man. What the form stores and what the rules read, so neither sees a hidden answer.
    Taken in declaration order, so a dropped answer cannot ask a question further down."""
    kept: dict[str, Any] = {}
    for name in sorted(data, key=lambda name: _DECLARED_AT.get(name, len(_DECLARED_AT))):
        if is_asked(name, kept):
            kept[name] = data[name]
    return kept


_DECLARED_AT = {name: index for index, name in enumerate(FIELD_NAMES)}


def facts_from_dict(data: Any) -> ScreeningFacts:
    """Build facts from a JSON object. ``null`` means "not answered" (or the default).
    Answers to questions not asked are dropped (``asked_answers``); "no known allergies"
    answers the allergy questions "no", and refuses one answered "yes"."""
    if not isinstance(data, dict):
        raise InvalidFacts("record", "must be a JSON object.")
    unknown = sorted(set(data) - set(FIELD_NAMES))
    if unknown:
        raise InvalidFacts(unknown[0], "is not a known field (check the spelling).")
    data = asked_answers(data)
    values: dict[str, Any] = {}
    for name, value in data.items():
        if value is None:
            if name in DEFAULTS or name in VACCINE_LIST_FIELDS:
                continue  # the default applies
            values[name] = None
            continue
        values[name] = _convert(name, value)
    for name, statement in IMPLIED_NO_BY.items():
        if values.get(statement):
            if values.get(name):
                raise InvalidFacts(name, f"is yes, which contradicts {statement}.")
            values[name] = False
    born, start = values.get("date_of_birth"), values.get("planned_start")
    if born and start and start < born:
        raise InvalidFacts("planned_start", "is before the date of birth.")
    for name in ("ltbi_treatment_start", "tnf_blocker_last_dose"):
        if born and values.get(name) and values[name] < born:
            raise InvalidFacts(name, "is before the date of birth.")
    return ScreeningFacts(**values)


def facts_to_dict(facts: ScreeningFacts) -> dict[str, Any]:
    """The JSON form of the facts, as stored with a screening and read back by
    ``facts_from_dict`` (round-trips exactly)."""
    out: dict[str, Any] = {}
    for name in FIELD_NAMES:
        value = getattr(facts, name)
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, StrEnum):
            value = value.value
        elif name in VACCINE_LIST_FIELDS:
            value = [{"name": v.name, "date": v.date.isoformat()} for v in value]
        elif name in STRING_LIST_FIELDS and value is not None:
            value = list(value)
        out[name] = value
    return out
