"""The Kineret (anakinra) pre-prescription screening engine: pure Python, no Django, no clock.

Frozen facts go in (``ScreeningFacts``), a ``ScreeningResult`` comes out, made by the rule set
named in ``RULE_SET_VERSION``. The clinical contract is ``docs/clinical-rules.md``.
"""

from screening.engine.evaluate import evaluate
from screening.engine.facts import (
    ASKED_WHEN,
    FIELD_NAMES,
    IMPLIED_NO_BY,
    AskedWhen,
    Hepatitis,
    HepatitisC,
    Policy,
    ScreeningFacts,
    Sex,
    TbTest,
    VaccineRecord,
)
from screening.engine.parsing import InvalidFacts, asked_answers, facts_from_dict, facts_to_dict
from screening.engine.result import InvalidStoredResult, Outcome, Reason, ScreeningResult
from screening.engine.rules import RULE_SET_VERSION, RULES

__all__ = [
    "ASKED_WHEN",
    "FIELD_NAMES",
    "IMPLIED_NO_BY",
    "RULES",
    "RULE_SET_VERSION",
    "AskedWhen",
    "Hepatitis",
    "HepatitisC",
    "InvalidFacts",
    "InvalidStoredResult",
    "Outcome",
    "Policy",
    "Reason",
    "ScreeningFacts",
    "ScreeningResult",
    "Sex",
    "TbTest",
    "VaccineRecord",
    "asked_answers",
    "evaluate",
    "facts_from_dict",
    "facts_to_dict",
]
