"""Missing answers, precedence, and properties that must hold for every input."""

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from screening.engine import FIELD_NAMES, Outcome, Policy, ScreeningFacts, evaluate
from screening.engine.facts import ALWAYS_REQUIRED, PREGNANCY_FIELDS
from tests.screening.cases import CLEAR, facts


@pytest.mark.parametrize("name", ALWAYS_REQUIRED)
def test_each_required_field_left_empty_makes_the_result_incomplete(name):
    result = evaluate(facts(**{name: None}))
    assert result.missing == (name,)
    assert result.outcome == Outcome.INCOMPLETE


@pytest.mark.parametrize("name", ALWAYS_REQUIRED)
def test_a_required_field_left_out_entirely_is_missing_too(name):
    from screening.engine import facts_from_dict

    record = {k: v for k, v in CLEAR.items() if k != name}
    assert name in evaluate(facts_from_dict(record)).missing


@pytest.mark.parametrize("name", PREGNANCY_FIELDS)
def test_pregnancy_questions_are_not_required_for_men(name):
    result = evaluate(facts(sex="male", **{name: None}))
    assert result.outcome == Outcome.CLEAR


@pytest.mark.parametrize("name", PREGNANCY_FIELDS)
def test_pregnancy_questions_are_required_when_sex_is_other_or_unanswered(name):
    assert evaluate(facts(sex="other", **{name: None})).missing == (name,)
    assert set(evaluate(facts(sex=None, **{name: None})).missing) == {"sex", name}


@pytest.mark.parametrize(
    "name",
    [
        "temperature_c",
        "ltbi_treatment_start",
        "alt_x_uln",
        "tnf_blocker_last_dose",
        "planned_surgery_date",
    ],
)
def test_optional_fields_may_be_left_empty(name):
    assert evaluate(facts(**{name: None})).outcome == Outcome.CLEAR


def test_optional_fields_with_defaults_take_them_when_null():
    result = evaluate(
        facts(hbv_antiviral=None, malignancy_history=None, prednisone_mg_per_day=None)
    )
    assert result.outcome == Outcome.CLEAR


def test_a_contraindication_wins_over_missing_data():
    result = evaluate(facts(active_tb=True, anc_10e9_per_l=None, hiv=None))
    assert result.outcome == Outcome.CONTRAINDICATED
    assert result.missing == ("hiv", "anc_10e9_per_l")


def test_missing_data_wins_over_review_items():
    result = evaluate(facts(asthma=True, hcv=None))
    assert result.outcome == Outcome.INCOMPLETE
    assert result.review_items == ("ASTHMA",)


def test_a_contraindication_wins_over_review_items():
    assert evaluate(facts(asthma=True, pregnant=True)).outcome == Outcome.CONTRAINDICATED


def test_nothing_answered_is_incomplete_never_clear():
    result = evaluate(ScreeningFacts())
    assert result.outcome == Outcome.INCOMPLETE
    assert set(result.missing) == set(ALWAYS_REQUIRED)


# --- properties --------------------------------------------------------------------------------

dates = st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(2030, 12, 31))
maybe_bool = st.one_of(st.none(), st.booleans())
vaccine_names = st.sampled_from(
    ["MMR", "Shingrix", "Yellow fever", "mystery jab", "Fluad", "Zostavax"]
)
vaccine_lists = st.lists(
    st.builds(
        lambda n, d: __import__("screening.engine").engine.VaccineRecord(n, d), vaccine_names, dates
    ),
    max_size=3,
).map(tuple)

any_facts = st.builds(
    ScreeningFacts,
    date_of_birth=st.one_of(st.none(), dates),
    sex=st.one_of(st.none(), st.sampled_from(["female", "male", "other"])),
    planned_start=st.one_of(st.none(), dates),
    pregnant=maybe_bool,
    breastfeeding=maybe_bool,
    planning_pregnancy=maybe_bool,
    anakinra_allergy=maybe_bool,
    ecoli_protein_allergy=maybe_bool,
    latex_allergy=maybe_bool,
    active_infection=maybe_bool,
    active_tb=maybe_bool,
    temperature_c=st.one_of(st.none(), st.floats(35, 42)),
    current_antibiotics=maybe_bool,
    chronic_or_recurrent_infections=maybe_bool,
    serious_infection_past_12_months=maybe_bool,
    tb_test=st.one_of(
        st.none(), st.sampled_from(["negative", "positive", "indeterminate", "not_done"])
    ),
    ltbi_treatment_start=st.one_of(st.none(), dates),
    hbsag=st.one_of(st.none(), st.sampled_from(["negative", "positive", "unknown"])),
    anti_hbc=st.one_of(st.none(), st.sampled_from(["negative", "positive", "unknown"])),
    hbv_antiviral=st.booleans(),
    hcv=st.one_of(st.none(), st.sampled_from(["negative", "positive", "cured", "unknown"])),
    hiv=st.one_of(st.none(), st.sampled_from(["negative", "positive", "unknown"])),
    asthma=maybe_bool,
    kidney_disease=maybe_bool,
    malignancy_history=st.booleans(),
    creatinine_clearance_ml_min=st.one_of(st.none(), st.floats(0, 200)),
    anc_10e9_per_l=st.one_of(st.none(), st.floats(0, 20)),
    alt_x_uln=st.one_of(st.none(), st.floats(0, 10)),
    medications=st.one_of(
        st.none(),
        st.lists(st.sampled_from(["Humira", "Rinvoq", "methotrexate"]), max_size=2).map(tuple),
    ),
    prednisone_mg_per_day=st.floats(0, 60),
    tnf_blocker_last_dose=st.one_of(st.none(), dates),
    recent_vaccines=vaccine_lists,
    planned_vaccines=vaccine_lists,
    planned_surgery_date=st.one_of(st.none(), dates),
)
policies = st.sampled_from(list(Policy))


@given(any_facts, policies)
def test_property_never_clear_while_a_required_field_is_missing(screening, policy):
    result = evaluate(screening, policy)
    if result.missing:
        assert result.outcome in {Outcome.INCOMPLETE, Outcome.CONTRAINDICATED}
    if result.outcome == Outcome.CLEAR:
        assert not (result.missing or result.contraindications or result.review_items)


@given(any_facts, policies)
def test_property_outcome_matches_its_codes(screening, policy):
    result = evaluate(screening, policy)
    assert (result.outcome == Outcome.CONTRAINDICATED) == bool(result.contraindications)
    assert len(result.reasons) == len(result.contraindications) + len(result.review_items)


RISK_FACTORS = {
    "anakinra_allergy": True,
    "ecoli_protein_allergy": True,
    "latex_allergy": True,
    "active_infection": True,
    "active_tb": True,
    "current_antibiotics": True,
    "chronic_or_recurrent_infections": True,
    "serious_infection_past_12_months": True,
    "asthma": True,
    "kidney_disease": True,
    "malignancy_history": True,
    "pregnant": True,
    "breastfeeding": True,
    "planning_pregnancy": True,
    "hbsag": "positive",
    "hiv": "positive",
    "hcv": "positive",
    "tb_test": "not_done",
    "temperature_c": 39.0,
    "anc_10e9_per_l": 0.5,
    "creatinine_clearance_ml_min": 10.0,
    "alt_x_uln": 3.0,
    "prednisone_mg_per_day": 40.0,
    "medications": ("Humira",),
    "planned_surgery_date": dt.date(2027, 1, 1),
}


@given(any_facts, st.sampled_from(sorted(RISK_FACTORS)), policies)
def test_property_adding_a_true_risk_factor_never_lowers_the_outcome(screening, factor, policy):
    before = evaluate(screening, policy)
    after = evaluate(replace(screening, **{factor: RISK_FACTORS[factor]}), policy)
    assert after.outcome.severity >= before.outcome.severity


@given(any_facts, policies)
def test_property_us_label_is_never_stricter_than_strict(screening, policy):
    strict = evaluate(screening, Policy.STRICT)
    us = evaluate(screening, Policy.US_LABEL)
    assert us.outcome.severity <= strict.outcome.severity
    assert set(strict.contraindications + strict.review_items) == set(
        us.contraindications + us.review_items
    )


def test_the_facts_have_exactly_the_fields_of_the_clinical_rules():
    assert set(FIELD_NAMES) == set(CLEAR)
