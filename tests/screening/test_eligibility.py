import datetime as dt

import pytest

from screening.eligibility import therapy_eligibility

TODAY = dt.date(2026, 11, 22)


def check(**changes):
    values = {
        "signed_on": TODAY,
        "decision": "eligible",
        "superseded": False,
        "today": TODAY,
        "valid_days": 30,
    }
    return therapy_eligibility(**(values | changes))


@pytest.mark.parametrize(("days", "allowed"), [(0, True), (30, True), (31, False)])
def test_a_screening_is_good_for_30_days(days, allowed):
    assert check(signed_on=TODAY - dt.timedelta(days=days)).allowed is allowed


@pytest.mark.parametrize(
    "changes",
    [{"signed_on": None}, {"decision": "not_started"}, {"decision": ""}, {"superseded": True}],
)
def test_only_a_signed_eligible_current_screening_allows_starting(changes):
    result = check(**changes)
    assert not result.allowed and result.reason
