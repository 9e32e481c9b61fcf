"""The screening inputs, exactly the inputs of docs/clinical-rules.md ("The screening").

``None`` means "not answered". Required fields left as ``None`` make the result incomplete;
optional fields have the defaults given there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any


class Policy(StrEnum):
    STRICT = "strict"
    US_LABEL = "us_label"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


class TbTest(StrEnum):
    NEGATIVE = "negative"
    POSITIVE = "positive"
    INDETERMINATE = "indeterminate"
    NOT_DONE = "not_done"


class Hepatitis(StrEnum):
    NEGATIVE = "negative"
    POSITIVE = "positive"
    UNKNOWN = "unknown"


class HepatitisC(StrEnum):
    NEGATIVE = "negative"
    POSITIVE = "positive"
    CURED = "cured"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class VaccineRecord:
    name: str
    date: dt.date


def required() -> Any:
    """A question every screening must answer: unanswered, the result is incomplete."""
    return field(default=None, metadata={"required": True})


def measured(
    low: float, high: float, unit: str, *, default: Any = None, needed: bool = False
) -> Any:
    """A number with its plausible range: a value outside is a typing or unit error, not a
    patient (the parser refuses it, the form bounds its input)."""
    return field(default=default, metadata={"range": (low, high, unit), "required": needed})


@dataclass(frozen=True)
class ScreeningFacts:
    """Each question is declared here once: its type decides how it is parsed
    (``screening.engine.parsing``), ``required()`` makes it count as missing, and ``measured``
    gives a number its range."""

    date_of_birth: dt.date | None = required()
    sex: Sex | None = required()
    planned_start: dt.date | None = required()
    pregnant: bool | None = required()
    breastfeeding: bool | None = required()
    planning_pregnancy: bool | None = required()
    anakinra_allergy: bool | None = required()
    ecoli_protein_allergy: bool | None = required()
    latex_allergy: bool | None = required()
    active_infection: bool | None = required()
    active_tb: bool | None = required()
    temperature_c: float | None = measured(30.0, 45.0, "°C")
    current_antibiotics: bool | None = required()
    chronic_or_recurrent_infections: bool | None = required()
    serious_infection_past_12_months: bool | None = required()
    tb_test: TbTest | None = required()
    ltbi_treatment_start: dt.date | None = None
    hbsag: Hepatitis | None = required()
    anti_hbc: Hepatitis | None = required()
    hbv_antiviral: bool = False
    hcv: HepatitisC | None = required()
    hiv: Hepatitis | None = required()
    asthma: bool | None = required()
    kidney_disease: bool | None = required()
    malignancy_history: bool = False
    creatinine_clearance_ml_min: float | None = measured(0.0, 250.0, "mL/min", needed=True)
    anc_10e9_per_l: float | None = measured(0.0, 50.0, "× 10⁹/L", needed=True)
    alt_x_uln: float | None = measured(0.0, 100.0, "× ULN")
    medications: tuple[str, ...] | None = required()
    prednisone_mg_per_day: float = measured(0.0, 1000.0, "mg a day", default=0)
    tnf_blocker_last_dose: dt.date | None = None
    recent_vaccines: tuple[VaccineRecord, ...] = ()
    planned_vaccines: tuple[VaccineRecord, ...] = ()
    planned_surgery_date: dt.date | None = None


FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in fields(ScreeningFacts))

PREGNANCY_FIELDS = ("pregnant", "breastfeeding", "planning_pregnancy")

# Required in every screening (docs/clinical-rules.md, "Inputs"), in the order of the questions.
ALWAYS_REQUIRED: tuple[str, ...] = tuple(
    f.name for f in fields(ScreeningFacts) if f.metadata.get("required")
)


def missing_fields(facts: ScreeningFacts) -> tuple[str, ...]:
    """Required answers that are absent. Pregnancy questions are skipped only for sex ``male``;
    with sex unanswered they are still asked."""
    skip = set(PREGNANCY_FIELDS) if facts.sex == Sex.MALE else set()
    return tuple(
        name for name in ALWAYS_REQUIRED if name not in skip and getattr(facts, name) is None
    )
