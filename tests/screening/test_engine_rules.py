"""Every code of docs/clinical-rules.md firing, and not firing, one change from a clear screening."""

import pytest

from screening.engine import RULES, Outcome, Policy, evaluate
from tests.screening.cases import days_before_start, facts

CONTRA = "contraindications"
REVIEW = "review_items"

FIRES = [
    # code, changes, where it lands under strict
    ("ANAKINRA_ALLERGY", {"anakinra_allergy": True}, CONTRA),
    ("ECOLI_PROTEIN_ALLERGY", {"ecoli_protein_allergy": True}, CONTRA),
    ("ACTIVE_INFECTION", {"active_infection": True}, CONTRA),
    ("ACTIVE_TB", {"active_tb": True}, CONTRA),
    ("TB_NOT_SCREENED", {"tb_test": "not_done"}, CONTRA),
    ("LTBI_UNTREATED", {"tb_test": "positive"}, CONTRA),
    ("LTBI_UNTREATED", {"tb_test": "positive", "ltbi_treatment_start": "2026-12-02"}, CONTRA),
    (
        "LTBI_TREATMENT_UNDER_1_MONTH",
        {"tb_test": "positive", "ltbi_treatment_start": "2026-11-15"},
        CONTRA,
    ),
    (
        "LTBI_TREATMENT_UNDER_1_MONTH",
        {"tb_test": "positive", "ltbi_treatment_start": "2026-12-01"},
        CONTRA,
    ),
    ("AGE_UNDER_18", {"date_of_birth": "2008-12-02"}, CONTRA),
    ("PREGNANT", {"pregnant": True}, CONTRA),
    ("PLANNING_PREGNANCY", {"planning_pregnancy": True}, CONTRA),
    ("BREASTFEEDING", {"breastfeeding": True}, CONTRA),
    ("NEUTROPENIA", {"anc_10e9_per_l": 1.49}, CONTRA),
    ("FEVER", {"temperature_c": 38.0}, REVIEW),
    ("ANTIBIOTICS", {"current_antibiotics": True}, REVIEW),
    ("CHRONIC_OR_RECURRENT_INFECTIONS", {"chronic_or_recurrent_infections": True}, REVIEW),
    ("SERIOUS_INFECTION_PAST_YEAR", {"serious_infection_past_12_months": True}, REVIEW),
    ("LTBI_ON_TREATMENT", {"tb_test": "positive", "ltbi_treatment_start": "2026-11-01"}, REVIEW),
    ("TB_TEST_INDETERMINATE", {"tb_test": "indeterminate"}, REVIEW),
    ("HBV_UNTREATED", {"hbsag": "positive"}, REVIEW),
    ("HBV_MONITOR", {"hbsag": "positive", "hbv_antiviral": True}, REVIEW),
    ("HBV_MONITOR", {"anti_hbc": "positive"}, REVIEW),
    ("HBV_NOT_SCREENED", {"hbsag": "unknown"}, REVIEW),
    ("HBV_NOT_SCREENED", {"anti_hbc": "unknown"}, REVIEW),
    ("HCV_UNTREATED", {"hcv": "positive"}, REVIEW),
    ("HCV_NOT_SCREENED", {"hcv": "unknown"}, REVIEW),
    ("HIV_POSITIVE", {"hiv": "positive"}, REVIEW),
    ("TNF_BLOCKER", {"medications": ["Humira 40 mg every other week"]}, REVIEW),
    ("TNF_BLOCKER", {"medications": ["adalimumab-adaz"]}, REVIEW),
    ("TNF_BLOCKER", {"medications": ["ENBREL 50mg weekly"]}, REVIEW),
    ("TNF_BLOCKER", {"medications": ["Certolizumab pegol 200 mg"]}, REVIEW),
    ("TNF_BLOCKER", {"medications": ["Remsima SC"]}, REVIEW),
    ("RECENT_TNF_BLOCKER", {"tnf_blocker_last_dose": days_before_start(90)}, REVIEW),
    ("RECENT_TNF_BLOCKER", {"tnf_blocker_last_dose": days_before_start(1)}, REVIEW),
    ("OTHER_BIOLOGIC_OR_JAK", {"medications": ["Rinvoq 15 mg daily"]}, REVIEW),
    ("OTHER_BIOLOGIC_OR_JAK", {"medications": ["rituximab-abbs infusion"]}, REVIEW),
    ("OTHER_BIOLOGIC_OR_JAK", {"medications": ["Ilaris"]}, REVIEW),
    ("HIGH_DOSE_STEROID", {"prednisone_mg_per_day": 20}, REVIEW),
    ("ASTHMA", {"asthma": True}, REVIEW),
    ("LATEX_ALLERGY", {"latex_allergy": True}, REVIEW),
    ("SEVERE_RENAL_IMPAIRMENT", {"creatinine_clearance_ml_min": 29.9}, REVIEW),
    ("RENAL_IMPAIRMENT", {"creatinine_clearance_ml_min": 30}, REVIEW),
    ("RENAL_IMPAIRMENT", {"creatinine_clearance_ml_min": 49.9}, REVIEW),
    ("RENAL_IMPAIRMENT", {"kidney_disease": True}, REVIEW),
    ("ALT_ELEVATED", {"alt_x_uln": 1.5}, REVIEW),
    ("MALIGNANCY_HISTORY", {"malignancy_history": True}, REVIEW),
    (
        "LIVE_VACCINE_PLANNED",
        {"planned_vaccines": [{"name": "Yellow fever", "date": days_before_start(28)}]},
        REVIEW,
    ),
    ("LIVE_VACCINE_PLANNED", {"planned_vaccines": [{"name": "MMR", "date": "2027-03-01"}]}, REVIEW),
    (
        "LIVE_VACCINE_RECENT",
        {"recent_vaccines": [{"name": "Zostavax", "date": days_before_start(27)}]},
        REVIEW,
    ),
    (
        "UNRECOGNISED_VACCINE",
        {"recent_vaccines": [{"name": "Travel jab", "date": "2026-01-01"}]},
        REVIEW,
    ),
    (
        "UNRECOGNISED_VACCINE",
        {"planned_vaccines": [{"name": "flu vaccine", "date": "2027-10-01"}]},
        REVIEW,
    ),
    ("SURGERY_PLANNED", {"planned_surgery_date": "2027-02-01"}, REVIEW),
]

DOES_NOT_FIRE = [
    ("LTBI_UNTREATED", {"tb_test": "negative", "ltbi_treatment_start": None}),
    ("LTBI_TREATMENT_UNDER_1_MONTH", {"tb_test": "positive", "ltbi_treatment_start": "2026-11-01"}),
    ("LTBI_ON_TREATMENT", {"tb_test": "positive", "ltbi_treatment_start": "2026-11-02"}),
    ("AGE_UNDER_18", {"date_of_birth": "2008-12-01"}),
    ("NEUTROPENIA", {"anc_10e9_per_l": 1.5}),
    ("FEVER", {"temperature_c": 37.9}),
    ("FEVER", {"temperature_c": None}),
    ("HBV_MONITOR", {"hbsag": "negative", "anti_hbc": "negative"}),
    ("HBV_UNTREATED", {"hbsag": "positive", "hbv_antiviral": True}),
    ("HCV_UNTREATED", {"hcv": "cured"}),
    ("HIV_POSITIVE", {"hiv": "unknown"}),
    ("TNF_BLOCKER", {"medications": ["Methotrexate", "Kineret 100 mg"]}),
    ("RECENT_TNF_BLOCKER", {"tnf_blocker_last_dose": days_before_start(91)}),
    (
        "RECENT_TNF_BLOCKER",
        {"tnf_blocker_last_dose": days_before_start(10), "medications": ["Humira"]},
    ),
    ("HIGH_DOSE_STEROID", {"prednisone_mg_per_day": 19.9}),
    ("SEVERE_RENAL_IMPAIRMENT", {"creatinine_clearance_ml_min": 30}),
    ("RENAL_IMPAIRMENT", {"creatinine_clearance_ml_min": 50}),
    ("RENAL_IMPAIRMENT", {"creatinine_clearance_ml_min": 20, "kidney_disease": True}),
    ("ALT_ELEVATED", {"alt_x_uln": 1.49}),
    ("ALT_ELEVATED", {"alt_x_uln": None}),
    (
        "LIVE_VACCINE_PLANNED",
        {"planned_vaccines": [{"name": "Yellow fever", "date": days_before_start(29)}]},
    ),
    ("LIVE_VACCINE_PLANNED", {"planned_vaccines": [{"name": "Shingrix", "date": "2027-01-01"}]}),
    (
        "LIVE_VACCINE_RECENT",
        {"recent_vaccines": [{"name": "Zostavax", "date": days_before_start(28)}]},
    ),
    ("LIVE_VACCINE_RECENT", {"recent_vaccines": [{"name": "Fluad", "date": days_before_start(3)}]}),
    ("UNRECOGNISED_VACCINE", {"recent_vaccines": [{"name": "Pneumovax 23", "date": "2026-01-01"}]}),
    ("SURGERY_PLANNED", {"planned_surgery_date": None}),
]


def test_the_clear_base_case_is_clear():
    result = evaluate(facts())
    assert result.outcome == Outcome.CLEAR
    assert result.reasons == ()


@pytest.mark.parametrize(("code", "changes", "where"), FIRES)
def test_each_code_fires_where_the_clinical_rules_say(code, changes, where):
    result = evaluate(facts(**changes))
    assert getattr(result, where) == (code,) or code in getattr(result, where)
    assert code in [reason.code for reason in result.reasons]
    expected = Outcome.CONTRAINDICATED if where == CONTRA else Outcome.NEEDS_REVIEW
    assert result.outcome == expected


@pytest.mark.parametrize(("code", "changes"), DOES_NOT_FIRE)
def test_each_code_stays_quiet_when_it_should(code, changes):
    result = evaluate(facts(**changes))
    assert code not in result.contraindications + result.review_items


def test_every_rule_is_exercised_by_the_table():
    assert {code for code, _, _ in FIRES} == {rule.code for rule in RULES}


def test_every_rule_cites_known_sources_and_explains_itself():
    from screening.engine.rules import SOURCES

    for rule in RULES:
        assert rule.sources and set(rule.sources) <= set(SOURCES), rule.code
        assert rule.message.endswith("."), rule.code


def test_every_firing_rule_is_reported_not_just_the_first():
    result = evaluate(facts(anakinra_allergy=True, active_tb=True, asthma=True, hiv="positive"))
    assert result.contraindications == ("ANAKINRA_ALLERGY", "ACTIVE_TB")
    assert result.review_items == ("HIV_POSITIVE", "ASTHMA")
    assert [r.code for r in result.reasons] == [
        "ANAKINRA_ALLERGY",
        "ACTIVE_TB",
        "HIV_POSITIVE",
        "ASTHMA",
    ]


def test_reasons_carry_the_sources_by_id():
    reason = evaluate(facts(active_tb=True)).reasons[0]
    assert reason.source == "US-PI, CLINIC, ACR-2015"


def test_a_code_is_reported_once_however_many_vaccines_trigger_it():
    result = evaluate(
        facts(
            recent_vaccines=[
                {"name": "Foo", "date": "2026-01-01"},
                {"name": "Bar", "date": "2026-02-01"},
            ]
        )
    )
    assert result.review_items.count("UNRECOGNISED_VACCINE") == 1


@pytest.mark.parametrize("code", ["PREGNANT", "PLANNING_PREGNANCY", "BREASTFEEDING", "NEUTROPENIA"])
def test_us_label_makes_pregnancy_and_neutropenia_review_items(code):
    changes = {"anc_10e9_per_l": 1.0} if code == "NEUTROPENIA" else {code.lower(): True}
    strict = evaluate(facts(**changes), Policy.STRICT)
    us = evaluate(facts(**changes), Policy.US_LABEL)
    assert code in strict.contraindications and strict.outcome == Outcome.CONTRAINDICATED
    assert code in us.review_items and us.outcome == Outcome.NEEDS_REVIEW
    assert (strict.policy, us.policy) == ("strict", "us_label")


@pytest.mark.parametrize(
    ("code", "changes", "where"),
    [
        f
        for f in FIRES
        if f[0] not in {"PREGNANT", "PLANNING_PREGNANCY", "BREASTFEEDING", "NEUTROPENIA"}
    ],
)
def test_every_other_code_is_the_same_under_both_policies(code, changes, where):
    strict, us = (
        evaluate(facts(**changes), Policy.STRICT),
        evaluate(facts(**changes), Policy.US_LABEL),
    )
    assert (strict.contraindications, strict.review_items) == (
        us.contraindications,
        us.review_items,
    )


def test_results_carry_the_rule_set_version():
    assert evaluate(facts()).rule_set == "kineret-2026.1"
