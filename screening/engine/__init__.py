"""The Kineret (anakinra) pre-prescription screening engine: pure Python, no Django, no clock.

Frozen facts go in (``ScreeningFacts``), a ``ScreeningResult`` comes out, made by the rule set
named in ``RULE_SET_VERSION``. The clinical contract is ``docs/clinical-rules.md``.
"""

from screening.engine.evaluate import evaluate
from screening.engine.facts import (
    FIELD_NAMES,
    Hepatitis,
    HepatitisC,
    Policy,
    ScreeningFacts,
    Sex,
    TbTest,
    VaccineRecord,
)
from screening.engine.parsing import InvalidFacts, facts_from_dict, facts_to_dict
from screening.engine.result import Outcome, Reason, ScreeningResult
from screening.engine.rules import RULE_SET_VERSION, RULES

__all__ = [
    "FIELD_NAMES",
    "RULES",
    "RULE_SET_VERSION",
    "Hepatitis",
    "HepatitisC",
    "InvalidFacts",
    "Outcome",
    "Policy",
    "Reason",
    "ScreeningFacts",
    "ScreeningResult",
    "Sex",
    "TbTest",
    "VaccineRecord",
    "evaluate",
    "facts_from_dict",
    "facts_to_dict",
]
