"""Strict conversion between JSON-shaped dicts and ``ScreeningFacts``.

Anything doubtful is an error naming the field, never a silent default: a typo in a field name
must not pass as an unanswered question, and "true" (a string) is not a yes.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import fields
from enum import StrEnum
from typing import Any

from screening.engine.facts import (
    FIELD_NAMES,
    Hepatitis,
    HepatitisC,
    ScreeningFacts,
    Sex,
    TbTest,
    VaccineRecord,
)


class InvalidFacts(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


DATE_FIELDS = {
    "date_of_birth",
    "planned_start",
    "ltbi_treatment_start",
    "tnf_blocker_last_dose",
    "planned_surgery_date",
}
BOOL_FIELDS = {
    "pregnant",
    "breastfeeding",
    "planning_pregnancy",
    "anakinra_allergy",
    "ecoli_protein_allergy",
    "latex_allergy",
    "active_infection",
    "active_tb",
    "current_antibiotics",
    "chronic_or_recurrent_infections",
    "serious_infection_past_12_months",
    "hbv_antiviral",
    "asthma",
    "kidney_disease",
    "malignancy_history",
}
# Plausible ranges: a value outside is a typing or unit error, not a patient.
NUMBER_RANGES: dict[str, tuple[float, float, str]] = {
    "temperature_c": (30.0, 45.0, "°C"),
    "creatinine_clearance_ml_min": (0.0, 250.0, "mL/min"),
    "anc_10e9_per_l": (0.0, 50.0, "× 10⁹/L"),
    "alt_x_uln": (0.0, 100.0, "× ULN"),
    "prednisone_mg_per_day": (0.0, 1000.0, "mg a day"),
}
ENUM_FIELDS: dict[str, type[StrEnum]] = {
    "sex": Sex,
    "tb_test": TbTest,
    "hbsag": Hepatitis,
    "anti_hbc": Hepatitis,
    "hcv": HepatitisC,
    "hiv": Hepatitis,
}
VACCINE_LIST_FIELDS = {"recent_vaccines", "planned_vaccines"}
# Optional fields with a default other than "missing" (docs/clinical-rules.md).
DEFAULTS = {
    f.name: f.default
    for f in fields(ScreeningFacts)
    if f.name in {"hbv_antiviral", "malignancy_history", "prednisone_mg_per_day"}
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
    if name == "medications":
        return _medications(name, value)
    raise InvalidFacts(name, "is not a known field.")  # pragma: no cover - guarded by caller


def facts_from_dict(data: Any) -> ScreeningFacts:
    """Build facts from a JSON object. ``null`` means "not answered" (or the default)."""
    if not isinstance(data, dict):
        raise InvalidFacts("record", "must be a JSON object.")
    unknown = sorted(set(data) - set(FIELD_NAMES))
    if unknown:
        raise InvalidFacts(unknown[0], "is not a known field (check the spelling).")
    values: dict[str, Any] = {}
    for name, value in data.items():
        if value is None:
            if name in DEFAULTS or name in VACCINE_LIST_FIELDS:
                continue  # the default applies
            values[name] = None
            continue
        values[name] = _convert(name, value)
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
        elif name == "medications" and value is not None:
            value = list(value)
        out[name] = value
    return out
