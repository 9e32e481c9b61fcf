"""A complete, clear screening as the base for every table: change one thing, see one code."""

import datetime as dt
from dataclasses import replace

from screening.engine import ScreeningFacts, facts_from_dict

START = dt.date(2026, 12, 1)

CLEAR = {
    "date_of_birth": "1970-06-15",
    "sex": "female",
    "planned_start": "2026-12-01",
    "pregnant": False,
    "breastfeeding": False,
    "planning_pregnancy": False,
    "no_known_allergies": False,
    "anakinra_allergy": False,
    "ecoli_protein_allergy": False,
    "latex_allergy": False,
    "active_infection": False,
    "active_tb": False,
    "temperature_c": 36.8,
    "current_antibiotics": False,
    "chronic_or_recurrent_infections": False,
    "serious_infection_past_12_months": False,
    "tb_test": "negative",
    "ltbi_treatment_start": None,
    "hbsag": "negative",
    "anti_hbc": "negative",
    "hbv_antiviral": False,
    "hcv": "negative",
    "hiv": "negative",
    "asthma": False,
    "kidney_disease": False,
    "malignancy_history": False,
    "creatinine_clearance_ml_min": 95,
    "anc_10e9_per_l": 3.4,
    "alt_x_uln": 0.8,
    "medications": ["Methotrexate 15 mg weekly", "Folic acid 5 mg weekly"],
    "prednisone_mg_per_day": 5,
    "tnf_blocker_last_dose": None,
    "recent_vaccines": [],
    "planned_vaccines": [],
    "planned_surgery_date": None,
}


def facts(**changes) -> ScreeningFacts:
    return facts_from_dict({**CLEAR, **changes})


def with_fields(base: ScreeningFacts, **changes) -> ScreeningFacts:
    return replace(base, **changes)


def days_before_start(days: int) -> str:
    return (START - dt.timedelta(days=days)).isoformat()
