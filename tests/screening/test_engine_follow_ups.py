"""The follow-up questions, declared once in the facts (``AskedWhen``) and read by the parser:
an answer to a question that is not asked never reaches the rules, and a question that is
asked and unanswered still keeps the result from being clear. Pure: no database."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from screening.engine import (
    ASKED_WHEN,
    IMPLIED_NO_BY,
    InvalidFacts,
    Outcome,
    asked_answers,
    evaluate,
    facts_from_dict,
)
from screening.engine.facts import ALWAYS_REQUIRED, is_asked
from screening.engine.medications import medicine_difference, medicines_matching
from tests.screening.cases import CLEAR, days_before_start, facts


def test_the_follow_ups_and_what_asks_each():
    asked_by = {
        name: (when.question, when.answers, when.unless) for name, when in ASKED_WHEN.items()
    }
    assert asked_by == {
        "pregnant": ("sex", ("male",), True),
        "breastfeeding": ("sex", ("male",), True),
        "planning_pregnancy": ("sex", ("male",), True),
        "ltbi_treatment_start": ("tb_test", ("positive",), False),
        "hbv_antiviral": ("hbsag", ("positive",), False),
    }
    assert (
        dict.fromkeys(
            ("anakinra_allergy", "ecoli_protein_allergy", "latex_allergy"), "no_known_allergies"
        )
        == IMPLIED_NO_BY
    )


@pytest.mark.parametrize(
    ("answers", "kept"),
    [
        ({"tb_test": "negative", "ltbi_treatment_start": "2026-10-01"}, False),
        ({"tb_test": None, "ltbi_treatment_start": "2026-10-01"}, False),
        ({"tb_test": "positive", "ltbi_treatment_start": "2026-10-01"}, True),
    ],
)
def test_a_treatment_date_is_kept_only_after_a_positive_tb_test(answers, kept):
    assert ("ltbi_treatment_start" in asked_answers(answers)) is kept


def test_pregnancy_answers_are_dropped_only_for_men():
    answers = {"pregnant": True, "breastfeeding": False}
    assert asked_answers({"sex": "male", **answers}) == {"sex": "male"}
    assert asked_answers({"sex": "other", **answers}) == {"sex": "other", **answers}
    assert asked_answers({"sex": None, **answers}) == {"sex": None, **answers}  # unknown: asked


def test_the_rules_never_read_an_answer_to_a_question_not_asked():
    # Before, a "yes" given to a man's pregnancy question contraindicated Kineret.
    assert evaluate(facts(sex="male", pregnant=True)).outcome == Outcome.CLEAR
    antiviral = evaluate(facts(hbsag="negative", anti_hbc="positive", hbv_antiviral=True))
    assert antiviral == evaluate(facts(hbsag="negative", anti_hbc="positive"))
    assert facts(tb_test="negative", ltbi_treatment_start="1800-01-01").ltbi_treatment_start is None


@given(
    st.sampled_from(["negative", "indeterminate", "not_done", None]),
    st.dates(min_value=dt.date(1971, 1, 1), max_value=dt.date(2026, 12, 1)),
)
def test_property_a_date_typed_after_a_test_that_is_not_positive_changes_nothing(test, day):
    plain = evaluate(facts(tb_test=test))
    assert evaluate(facts(tb_test=test, ltbi_treatment_start=day.isoformat())) == plain


def test_a_follow_up_that_is_asked_still_counts():
    untreated = evaluate(facts(tb_test="positive"))
    assert untreated.contraindications == ("LTBI_UNTREATED",)
    treated = evaluate(facts(tb_test="positive", ltbi_treatment_start=days_before_start(60)))
    assert treated.review_items == ("LTBI_ON_TREATMENT",)


@pytest.mark.parametrize("name", [n for n in ALWAYS_REQUIRED if n in ASKED_WHEN])
def test_a_required_follow_up_that_is_asked_and_unanswered_is_never_clear(name):
    record = {**CLEAR, "sex": "female", name: None}
    assert is_asked(name, record)
    result = evaluate(facts_from_dict(record))
    assert result.outcome == Outcome.INCOMPLETE and result.missing == (name,)


def test_no_known_allergies_answers_the_allergy_questions_no():
    record = {**CLEAR, "no_known_allergies": True}
    for name in IMPLIED_NO_BY:
        record[name] = None
    said = facts_from_dict(record)
    assert (said.anakinra_allergy, said.ecoli_protein_allergy, said.latex_allergy) == (
        False,
        False,
        False,
    )
    assert evaluate(said).outcome == Outcome.CLEAR


def test_without_no_known_allergies_unanswered_allergies_are_missing():
    record = {**CLEAR, "latex_allergy": None}
    assert evaluate(facts_from_dict(record)).missing == ("latex_allergy",)


def test_no_known_allergies_with_an_allergy_answered_yes_is_refused():
    with pytest.raises(InvalidFacts) as refused:
        facts_from_dict({**CLEAR, "no_known_allergies": True, "latex_allergy": True})
    assert refused.value.field == "latex_allergy"


# --- medicines: the screening's list against the record's ----------------------------------------


def test_a_medicine_left_out_of_the_screening_is_stopped_and_a_new_one_added():
    difference = medicine_difference(
        ["methotrexate 15 MG weekly", "Hydroxychloroquine 200 mg"],
        ["Methotrexate 15 mg weekly", "Folic acid 5 mg weekly"],
    )
    assert difference.stopped == ("Folic acid 5 mg weekly",)
    assert difference.added == ("Hydroxychloroquine 200 mg",)


def test_the_same_lists_in_another_order_or_spacing_agree():
    assert not medicine_difference(["Folic acid,  5 mg", "MTX"], ["mtx", "folic acid 5 mg"])


def test_the_courses_kineret_line_is_neither_stopped_nor_overwritten():
    record = ["Methotrexate 15 mg weekly", "Kineret (anakinra) 100 mg once a day"]
    assert not medicine_difference(["Methotrexate 15 mg weekly"], record)
    assert medicines_matching([], record) == ["Kineret (anakinra) 100 mg once a day"]
    assert medicines_matching(["Folic acid"], ["MTX"]) == ["Folic acid"]
