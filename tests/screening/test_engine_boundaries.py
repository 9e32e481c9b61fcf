"""The boundaries docs/clinical-rules.md names, each on both sides, plus dosing and earliest start."""

import datetime as dt

import pytest

from screening.engine import Outcome, evaluate
from screening.engine.dates import add_months, age_on
from tests.screening.cases import days_before_start, facts


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),
        (dt.date(2026, 1, 31), 2, dt.date(2026, 3, 31)),
        (dt.date(2026, 1, 31), 3, dt.date(2026, 4, 30)),
        (dt.date(2026, 1, 31), 6, dt.date(2026, 7, 31)),
        (dt.date(2026, 1, 31), 9, dt.date(2026, 10, 31)),
        (dt.date(2026, 1, 31), 12, dt.date(2027, 1, 31)),
        (dt.date(2026, 12, 15), 1, dt.date(2027, 1, 15)),
        (dt.date(2026, 3, 31), 1, dt.date(2026, 4, 30)),
    ],
)
def test_a_calendar_month_is_clamped_to_the_months_end(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (dt.date(2008, 12, 1), dt.date(2026, 12, 1), 18),
        (dt.date(2008, 12, 2), dt.date(2026, 12, 1), 17),
        (dt.date(2008, 2, 29), dt.date(2026, 2, 28), 17),
        (dt.date(2008, 2, 29), dt.date(2026, 3, 1), 18),
    ],
)
def test_age_counts_completed_years(born, day, age):
    assert age_on(born, day) == age


def test_the_18th_birthday_on_the_start_day_is_an_adult():
    assert "AGE_UNDER_18" not in evaluate(facts(date_of_birth="2008-12-01")).contraindications
    assert "AGE_UNDER_18" in evaluate(facts(date_of_birth="2008-12-02")).contraindications


def test_age_is_taken_on_the_planned_start_not_today():
    later_start = facts(date_of_birth="2008-12-15", planned_start="2026-12-20")
    assert evaluate(later_start).outcome == Outcome.CLEAR


@pytest.mark.parametrize(("anc", "fires"), [(1.49, True), (1.5, False), (0.0, True), (1.51, False)])
def test_neutropenia_boundary_is_1_5(anc, fires):
    assert ("NEUTROPENIA" in evaluate(facts(anc_10e9_per_l=anc)).contraindications) is fires


@pytest.mark.parametrize(
    ("clearance", "codes", "dosing"),
    [
        (29.99, ["SEVERE_RENAL_IMPAIRMENT"], "every_other_day"),
        (30, ["RENAL_IMPAIRMENT"], "daily"),
        (49.99, ["RENAL_IMPAIRMENT"], "daily"),
        (50, [], "daily"),
        (0, ["SEVERE_RENAL_IMPAIRMENT"], "every_other_day"),
    ],
)
def test_clearance_boundaries_at_30_and_50_and_the_dose_interval(clearance, codes, dosing):
    result = evaluate(facts(creatinine_clearance_ml_min=clearance))
    assert [c for c in result.review_items if "RENAL" in c] == codes
    assert result.dosing.value == dosing


@pytest.mark.parametrize(("temperature", "fires"), [(37.99, False), (38.0, True), (39.5, True)])
def test_fever_starts_at_38_0(temperature, fires):
    assert ("FEVER" in evaluate(facts(temperature_c=temperature)).review_items) is fires


@pytest.mark.parametrize(("mg", "fires"), [(19.99, False), (20, True)])
def test_high_dose_steroid_starts_at_20_mg(mg, fires):
    assert ("HIGH_DOSE_STEROID" in evaluate(facts(prednisone_mg_per_day=mg)).review_items) is fires


@pytest.mark.parametrize(("alt", "fires"), [(1.49, False), (1.5, True)])
def test_alt_boundary_is_1_5_times_uln(alt, fires):
    assert ("ALT_ELEVATED" in evaluate(facts(alt_x_uln=alt)).review_items) is fires


@pytest.mark.parametrize(("days", "fires"), [(90, True), (91, False), (0, True)])
def test_recent_tnf_window_is_90_days(days, fires):
    result = evaluate(facts(tnf_blocker_last_dose=days_before_start(days)))
    assert ("RECENT_TNF_BLOCKER" in result.review_items) is fires


@pytest.mark.parametrize(("days", "fires"), [(27, True), (28, False), (0, True), (-5, True)])
def test_a_recent_live_vaccine_needs_28_clear_days(days, fires):
    result = evaluate(facts(recent_vaccines=[{"name": "MMR", "date": days_before_start(days)}]))
    assert ("LIVE_VACCINE_RECENT" in result.review_items) is fires


@pytest.mark.parametrize(("days", "fires"), [(28, True), (29, False), (-30, True)])
def test_a_planned_live_vaccine_within_28_days_before_or_after_start(days, fires):
    result = evaluate(facts(planned_vaccines=[{"name": "MMR", "date": days_before_start(days)}]))
    assert ("LIVE_VACCINE_PLANNED" in result.review_items) is fires


def test_earliest_start_after_a_recent_live_vaccine_is_28_days_later():
    result = evaluate(facts(recent_vaccines=[{"name": "Varivax", "date": "2026-11-20"}]))
    assert result.earliest_start == dt.date(2026, 12, 18)


def test_earliest_start_on_latent_tb_treatment_is_one_calendar_month_in():
    result = evaluate(
        facts(tb_test="positive", ltbi_treatment_start="2026-10-31", planned_start="2026-11-29")
    )
    assert result.contraindications == ("LTBI_TREATMENT_UNDER_1_MONTH",)
    assert result.earliest_start == dt.date(2026, 11, 30)


def test_exactly_one_month_of_latent_tb_treatment_is_a_review_item():
    result = evaluate(
        facts(tb_test="positive", ltbi_treatment_start="2026-10-31", planned_start="2026-11-30")
    )
    assert result.review_items == ("LTBI_ON_TREATMENT",)
    assert result.earliest_start is None


def test_earliest_start_is_the_latest_of_all():
    result = evaluate(
        facts(
            tb_test="positive",
            ltbi_treatment_start="2026-11-20",
            recent_vaccines=[{"name": "Yellow fever", "date": "2026-11-25"}],
        )
    )
    assert result.earliest_start == dt.date(2026, 12, 23)


def test_no_earliest_start_when_nothing_asks_for_one():
    assert evaluate(facts()).earliest_start is None
