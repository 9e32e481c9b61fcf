import datetime as dt

import pytest

from screening.engine import InvalidFacts, evaluate, facts_from_dict, facts_to_dict
from tests.screening.cases import CLEAR


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"asthma": "true"}, "asthma", "true or false"),
        ({"asthma": 1}, "asthma", "true or false"),
        ({"anc_10e9_per_l": "3.1"}, "anc_10e9_per_l", "number"),
        ({"anc_10e9_per_l": True}, "anc_10e9_per_l", "number"),
        ({"anc_10e9_per_l": -0.1}, "anc_10e9_per_l", "negative"),
        ({"anc_10e9_per_l": float("nan")}, "anc_10e9_per_l", "finite"),
        ({"temperature_c": 60}, "temperature_c", "between 30 and 45"),
        ({"prednisone_mg_per_day": -5}, "prednisone_mg_per_day", "negative"),
        ({"date_of_birth": "1970-02-30"}, "date_of_birth", "not a real date"),
        ({"date_of_birth": "19700215"}, "date_of_birth", "YYYY-MM-DD"),
        ({"date_of_birth": 1970}, "date_of_birth", "YYYY-MM-DD"),
        ({"planned_start": "1960-01-01"}, "planned_start", "before the date of birth"),
        ({"tb_test": "maybe"}, "tb_test", "negative, positive, indeterminate, not_done"),
        ({"sex": "F"}, "sex", "female, male, other"),
        ({"medications": "Humira"}, "medications", "list"),
        ({"medications": ["Humira", 3]}, "medications", "only strings"),
        ({"recent_vaccines": "MMR"}, "recent_vaccines", "list"),
        ({"recent_vaccines": [{"name": "MMR"}]}, "recent_vaccines[0].date", "YYYY-MM-DD"),
        (
            {"recent_vaccines": [{"name": "", "date": "2026-01-01"}]},
            "recent_vaccines[0].name",
            "non-empty",
        ),
        (
            {"planned_vaccines": [{"name": "MMR", "date": "2026-01-01", "dose": 2}]},
            "planned_vaccines[0].dose",
            "not a known",
        ),
        ({"asthmaa": False}, "asthmaa", "not a known field"),
    ],
)
def test_invalid_records_name_the_field(changes, field, fragment):
    with pytest.raises(InvalidFacts) as error:
        facts_from_dict({**CLEAR, **changes})
    assert error.value.field == field
    assert fragment in error.value.message


def test_a_record_must_be_an_object():
    with pytest.raises(InvalidFacts):
        facts_from_dict(["not", "an", "object"])


def test_facts_round_trip_through_json():
    original = facts_from_dict(
        {**CLEAR, "recent_vaccines": [{"name": "MMR", "date": "2026-01-02"}]}
    )
    assert facts_from_dict(facts_to_dict(original)) == original


def test_the_result_has_the_commands_json_shape():
    result = evaluate(facts_from_dict({**CLEAR, "asthma": True})).as_dict()
    assert result == {
        "outcome": "needs_review",
        "contraindications": [],
        "review_items": ["ASTHMA"],
        "missing": [],
        "dosing": "daily",
        "earliest_start": None,
        "policy": "strict",
        "rule_set": "kineret-2026.1",
        "reasons": [{"code": "ASTHMA", "message": "Asthma.", "source": "US-PI, CLINIC"}],
    }


def test_integers_are_numbers():
    assert facts_from_dict({**CLEAR, "anc_10e9_per_l": 2}).anc_10e9_per_l == 2.0


def test_dates_are_dates():
    assert facts_from_dict(CLEAR).planned_start == dt.date(2026, 12, 1)
