from decimal import Decimal

import pytest

from portal.urgency import concern_is_urgent

FEVER_C = Decimal("38.0")


@pytest.mark.parametrize(
    ("category", "details", "urgent"),
    [
        ("fever", {"measured": "yes", "temperature": "37.9"}, False),
        ("fever", {"measured": "yes", "temperature": "38.0"}, True),
        ("fever", {"measured": "no"}, True),
        ("fever", {"measured": "no", "temperature": "36.0"}, True),
        # Reports sent before the question existed carry only a temperature.
        ("fever", {"temperature": "38.6"}, True),
        ("fever", {"temperature": "36.6"}, False),
        ("fever", {}, True),
        ("fever", {"temperature": "hot"}, True),
        ("infection", {}, True),
        ("rash", {}, True),
        ("surgery", {}, False),
        ("other", {"temperature": "40"}, False),
    ],
)
def test_urgency_follows_the_measured_temperature_and_the_category(category, details, urgent):
    assert concern_is_urgent(category, details, fever_c=FEVER_C) is urgent
