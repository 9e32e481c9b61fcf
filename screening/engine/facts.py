"""The screening inputs, exactly the inputs of docs/clinical-rules.md ("The screening").

``None`` means "not answered". Required fields left as ``None`` make the result incomplete;
optional fields have the defaults given there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from enum import StrEnum


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


@dataclass(frozen=True)
class ScreeningFacts:
    date_of_birth: dt.date | None = None
    sex: Sex | None = None
    planned_start: dt.date | None = None
    pregnant: bool | None = None
    breastfeeding: bool | None = None
    planning_pregnancy: bool | None = None
    anakinra_allergy: bool | None = None
    ecoli_protein_allergy: bool | None = None
    latex_allergy: bool | None = None
    active_infection: bool | None = None
    active_tb: bool | None = None
    temperature_c: float | None = None
    current_antibiotics: bool | None = None
    chronic_or_recurrent_infections: bool | None = None
    serious_infection_past_12_months: bool | None = None
    tb_test: TbTest | None = None
    ltbi_treatment_start: dt.date | None = None
    hbsag: Hepatitis | None = None
    anti_hbc: Hepatitis | None = None
    hbv_antiviral: bool = False
    hcv: HepatitisC | None = None
    hiv: Hepatitis | None = None
    asthma: bool | None = None
    kidney_disease: bool | None = None
    malignancy_history: bool = False
    creatinine_clearance_ml_min: float | None = None
    anc_10e9_per_l: float | None = None
    alt_x_uln: float | None = None
    medications: tuple[str, ...] | None = None
    prednisone_mg_per_day: float = 0
    tnf_blocker_last_dose: dt.date | None = None
    recent_vaccines: tuple[VaccineRecord, ...] = ()
    planned_vaccines: tuple[VaccineRecord, ...] = ()
    planned_surgery_date: dt.date | None = None


FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in fields(ScreeningFacts))

PREGNANCY_FIELDS = ("pregnant", "breastfeeding", "planning_pregnancy")

# Required in every screening (docs/clinical-rules.md, "Inputs").
ALWAYS_REQUIRED = (
    "date_of_birth",
    "sex",
    "planned_start",
    *PREGNANCY_FIELDS,
    "anakinra_allergy",
    "ecoli_protein_allergy",
    "latex_allergy",
    "active_infection",
    "active_tb",
    "current_antibiotics",
    "chronic_or_recurrent_infections",
    "serious_infection_past_12_months",
    "tb_test",
    "hbsag",
    "anti_hbc",
    "hcv",
    "hiv",
    "asthma",
    "kidney_disease",
    "creatinine_clearance_ml_min",
    "anc_10e9_per_l",
    "medications",
)


def missing_fields(facts: ScreeningFacts) -> tuple[str, ...]:
    """Required answers that are absent. Pregnancy questions are skipped only for sex ``male``;
    with sex unanswered they are still asked."""
    skip = set(PREGNANCY_FIELDS) if facts.sex == Sex.MALE else set()
    return tuple(
        name for name in ALWAYS_REQUIRED if name not in skip and getattr(facts, name) is None
    )
