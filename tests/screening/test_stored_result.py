"""The stored result reads back as the typed result the engine made, and the parser's field sets
come from the facts dataclass alone."""

import datetime as dt
import json
from dataclasses import fields

import pytest

from screening.engine import (
    InvalidStoredResult,
    ScreeningFacts,
    ScreeningResult,
    evaluate,
    facts_from_dict,
    parsing,
)
from screening.engine.result import Dosing, Outcome
from tests.screening.cases import CLEAR


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"asthma": True, "latex_allergy": True},
        {"pregnant": True, "tb_test": "positive", "ltbi_treatment_start": "2026-11-20"},
        {"creatinine_clearance_ml_min": 20.0, "hbsag": None},
    ],
)
def test_a_stored_result_reads_back_equal_to_what_the_engine_made(changes):
    made = evaluate(facts_from_dict({**CLEAR, **changes}))
    stored = json.loads(json.dumps(made.as_dict()))  # as the JSON column gives it back

    read = ScreeningResult.from_stored(stored)

    assert read == made
    assert isinstance(read.outcome, Outcome)
    assert isinstance(read.dosing, Dosing)


def test_the_earliest_start_comes_back_as_a_date():
    made = evaluate(
        facts_from_dict({**CLEAR, "tb_test": "positive", "ltbi_treatment_start": "2026-11-20"})
    )

    read = ScreeningResult.from_stored(made.as_dict())

    assert read.earliest_start == dt.date(2026, 12, 20)


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d.pop("review_items"),
        lambda d: d.update(outcome="fine"),
        lambda d: d.update(contraindications="PREGNANCY"),
        lambda d: d.update(earliest_start="20/12/2026"),
        lambda d: d["reasons"].append({"code": "X"}),
    ],
)
def test_a_damaged_stored_result_is_refused_never_read_as_nothing_fired(damage):
    stored = evaluate(facts_from_dict({**CLEAR, "asthma": True})).as_dict()
    damage(stored)

    with pytest.raises(InvalidStoredResult):
        ScreeningResult.from_stored(stored)


def test_every_question_of_the_facts_has_exactly_one_parser():
    kinds = [
        parsing.DATE_FIELDS,
        parsing.BOOL_FIELDS,
        set(parsing.NUMBER_RANGES),
        set(parsing.ENUM_FIELDS),
        parsing.VACCINE_LIST_FIELDS,
        parsing.STRING_LIST_FIELDS,
    ]

    for f in fields(ScreeningFacts):
        assert sum(f.name in kind for kind in kinds) == 1, f.name
