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


@dataclass(frozen=True)
class AskedWhen:
    """When a follow-up question is asked: only when the answer to ``question`` is one of
    ``answers`` or, with ``unless``, when it is anything else (unanswered included). The
    dependency of FHIR Questionnaire's ``enableWhen``. A question that is not asked is not
    required, and an answer given to it anyway is dropped before the rules see it
    (``screening.engine.parsing.asked_answers``)."""

    question: str
    answers: tuple[Any, ...]
    unless: bool = False

    def met(self, answer: Any) -> bool:
        return (answer in self.answers) != self.unless


def required(*, asked_when: AskedWhen | None = None, implied_no_by: str | None = None) -> Any:
    """A question every screening must answer (or, with ``asked_when``, every screening that
    asks it): unanswered, the result is incomplete. ``implied_no_by`` names a yes/no statement
    that answers it "no" ("no known allergies" answers each allergy question)."""
    metadata: dict[str, Any] = {"required": True}
    if asked_when is not None:
        metadata["asked_when"] = asked_when
    if implied_no_by is not None:
        metadata["implied_no_by"] = implied_no_by
    return field(default=None, metadata=metadata)


def follow_up(asked_when: AskedWhen, *, default: Any = None) -> Any:
    """An optional question asked only after a given answer to another one."""
    return field(default=default, metadata={"asked_when": asked_when})


NOT_FOR_MEN = AskedWhen("sex", (Sex.MALE,), unless=True)
AFTER_POSITIVE_TB_TEST = AskedWhen("tb_test", (TbTest.POSITIVE,))
AFTER_POSITIVE_HBSAG = AskedWhen("hbsag", (Hepatitis.POSITIVE,))


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
    pregnant: bool | None = required(asked_when=NOT_FOR_MEN)
    breastfeeding: bool | None = required(asked_when=NOT_FOR_MEN)
    planning_pregnancy: bool | None = required(asked_when=NOT_FOR_MEN)
    # Said, not assumed: only an explicit "no known allergies" answers the three below.
    no_known_allergies: bool = False
    anakinra_allergy: bool | None = required(implied_no_by="no_known_allergies")
    ecoli_protein_allergy: bool | None = required(implied_no_by="no_known_allergies")
    latex_allergy: bool | None = required(implied_no_by="no_known_allergies")
    active_infection: bool | None = required()
    active_tb: bool | None = required()
    temperature_c: float | None = measured(30.0, 45.0, "°C")
    current_antibiotics: bool | None = required()
    chronic_or_recurrent_infections: bool | None = required()
    serious_infection_past_12_months: bool | None = required()
    tb_test: TbTest | None = required()
    ltbi_treatment_start: dt.date | None = follow_up(AFTER_POSITIVE_TB_TEST)
    hbsag: Hepatitis | None = required()
    anti_hbc: Hepatitis | None = required()
    hbv_antiviral: bool = follow_up(AFTER_POSITIVE_HBSAG, default=False)
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

# Follow-up questions and the answer that asks each: declared above, read by the parser, the
# form, its template (for the script that shows and hides them) and ``missing_fields``.
ASKED_WHEN: dict[str, AskedWhen] = {
    f.name: f.metadata["asked_when"] for f in fields(ScreeningFacts) if "asked_when" in f.metadata
}
# Questions a yes/no statement answers "no" (the allergy questions and "no known allergies").
IMPLIED_NO_BY: dict[str, str] = {
    f.name: f.metadata["implied_no_by"]
    for f in fields(ScreeningFacts)
    if "implied_no_by" in f.metadata
}
PREGNANCY_FIELDS = tuple(name for name, when in ASKED_WHEN.items() if when is NOT_FOR_MEN)

# Required in every screening that asks them (docs/clinical-rules.md, "Inputs"), in the order of
# the questions.
ALWAYS_REQUIRED: tuple[str, ...] = tuple(
    f.name for f in fields(ScreeningFacts) if f.metadata.get("required")
)


def _check_declarations() -> None:
    """A follow-up's controlling question is declared before it, so one pass in declaration
    order settles chains; a typo in a controlling question's name fails at import."""
    order = {name: index for index, name in enumerate(FIELD_NAMES)}
    for name, when in ASKED_WHEN.items():
        if order.get(when.question, len(order)) >= order[name]:
            raise TypeError(f"{name} is asked after {when.question}, declared later or unknown.")
    for name, statement in IMPLIED_NO_BY.items():
        if order.get(statement, len(order)) >= order[name]:
            raise TypeError(f"{name} is implied by {statement}, declared later or unknown.")


_check_declarations()


def is_asked(name: str, answers: Any) -> bool:
    """Whether question ``name`` is asked, given ``answers``: facts, or a mapping of answers in
    their JSON form (a bool, an enum's value)."""
    when = ASKED_WHEN.get(name)
    if when is None:
        return True
    if isinstance(answers, ScreeningFacts):
        answer = getattr(answers, when.question)
    else:
        answer = answers.get(when.question)
    return when.met(answer)


def missing_fields(facts: ScreeningFacts) -> tuple[str, ...]:
    """Required answers that are absent from the questions asked. The pregnancy questions are
    not asked for sex ``male``; with sex unanswered they are still asked."""
    return tuple(
        name for name in ALWAYS_REQUIRED if is_asked(name, facts) and getattr(facts, name) is None
    )
