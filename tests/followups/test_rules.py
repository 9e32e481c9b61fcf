"""The follow-up rules as pure tables: no database, no clock."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from followups.planner import Kind
from followups.rules import (
    CourseState,
    completes_check,
    course_state,
    fever_with_low_neutrophils,
    flu_season_opens,
    live_vaccine_in_course_window,
    moved_beyond_window,
)
from screening.engine.neutrophils import Reading, interpret_anc
from screening.engine.vaccines import recognise

TODAY = dt.date(2026, 11, 30)
AUGUST_FIRST = (8, 1)


@pytest.mark.parametrize(
    ("start", "stopped_on", "cancelled", "held", "state"),
    [
        ("2026-12-07", None, False, False, CourseState.PLANNED),
        ("2026-11-30", None, False, False, CourseState.ACTIVE),
        ("2026-12-07", None, False, True, CourseState.ON_HOLD),
        ("2026-11-01", None, False, True, CourseState.ON_HOLD),  # a hold outlasts the date
        ("2026-12-07", None, True, False, CourseState.CANCELLED),
        ("2026-10-01", "2026-11-15", False, False, CourseState.STOPPED),
    ],
)
def test_a_course_state_follows_its_dates_and_decisions(start, stopped_on, cancelled, held, state):
    assert (
        course_state(
            start=dt.date.fromisoformat(start),
            stopped_on=dt.date.fromisoformat(stopped_on) if stopped_on else None,
            cancelled=cancelled,
            held=held,
            today=TODAY,
        )
        == state
    )


@pytest.mark.parametrize(
    ("kind", "vaccine", "completes"),
    [
        (Kind.VACCINATION_REVIEW, "Shingrix", True),
        (Kind.VACCINATION_REVIEW, "Pneumovax", True),
        (Kind.VACCINATION_REVIEW, "Flucelvax", True),
        (Kind.VACCINATION_REVIEW, "Boostrix Tdap", False),
        (Kind.VACCINATION_REVIEW, "Comirnaty COVID-19", False),
        (Kind.VACCINATION_REVIEW, "Zostavax", False),  # live zoster is never in scope
        (Kind.VACCINATION_REVIEW, "mystery jab", False),
        (Kind.INFLUENZA_VACCINATION, "Fluad", True),
        (Kind.INFLUENZA_VACCINATION, "Shingrix", False),
        (Kind.INFLUENZA_VACCINATION, "FluMist", False),  # live nasal influenza
        (Kind.NEUTROPHIL_COUNT, "Fluad", False),
    ],
)
def test_a_vaccine_completes_only_the_checks_in_its_scope(kind, vaccine, completes):
    assert (
        completes_check(
            kind=kind,
            check_due=dt.date(2026, 10, 1),
            vaccine=recognise(vaccine),
            given_on=dt.date(2026, 10, 1),
            flu_from=AUGUST_FIRST,
        )
        is completes
    )


@pytest.mark.parametrize(
    ("due", "opens"),
    [("2026-10-01", "2026-08-01"), ("2026-08-01", "2026-08-01"), ("2027-01-15", "2026-08-01")],
)
def test_a_flu_season_opens_on_its_first_vaccination_day(due, opens):
    assert flu_season_opens(dt.date.fromisoformat(due), AUGUST_FIRST) == dt.date.fromisoformat(
        opens
    )


START = dt.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("given_on", "stopped_on", "inside"),
    [
        (START - dt.timedelta(days=28), None, False),  # exactly four weeks before: fine
        (START - dt.timedelta(days=27), None, True),
        (START, None, True),
        (dt.date(2027, 6, 1), None, True),
        (dt.date(2027, 3, 1), dt.date(2027, 3, 1), True),  # the last day of treatment
        (dt.date(2027, 3, 2), dt.date(2027, 3, 1), False),
    ],
)
def test_the_live_vaccine_window_runs_from_four_weeks_before_to_the_last_day(
    given_on, stopped_on, inside
):
    assert (
        live_vaccine_in_course_window(given_on=given_on, start=START, stopped_on=stopped_on)
        is inside
    )


@pytest.mark.parametrize(
    ("category", "count", "days_ago", "urgent"),
    [
        ("fever", "1.49", 0, True),
        ("infection", "0.8", 30, True),
        ("fever", "1.5", 0, False),
        ("fever", "1.2", 31, False),
        ("rash", "0.5", 1, False),
    ],
)
def test_fever_with_low_neutrophils_is_a_clinic_rule(category, count, days_ago, urgent):
    spec = fever_with_low_neutrophils(
        category=category,
        latest_count=(Decimal(count), TODAY - dt.timedelta(days=days_ago)),
        today=TODAY,
    )
    assert (spec is not None) is urgent
    if spec:
        assert spec.severity == "urgent" and spec.cause == "FEVER_WITH_LOW_NEUTROPHILS"


@pytest.mark.parametrize(("with_fever", "urgent"), [(True, True), (False, False)])
def test_another_report_with_a_fever_counts_as_a_fever(with_fever, urgent):
    spec = fever_with_low_neutrophils(
        category="side_effects",
        latest_count=(Decimal("1.2"), TODAY),
        today=TODAY,
        with_fever=with_fever,
    )
    assert (spec is not None) is urgent


def test_no_count_means_no_fever_rule():
    assert fever_with_low_neutrophils(category="fever", latest_count=None, today=TODAY) is None


@pytest.mark.parametrize(
    ("value", "reading"),
    [(0.99, Reading.URGENT), (Decimal("1.0"), Reading.ATTENTION), (1.5, Reading.NORMAL)],
)
def test_one_set_of_thresholds_for_floats_and_decimals(value, reading):
    assert interpret_anc(value) == reading


@pytest.mark.parametrize(("days", "beyond"), [(7, False), (-7, False), (8, True), (-8, True)])
def test_moving_a_check_beyond_its_window(days, beyond):
    assert moved_beyond_window(TODAY, TODAY + dt.timedelta(days=days), 7) is beyond
