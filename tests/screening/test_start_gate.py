"""The start gate, as a table of clinical cases: today is 30 Nov 2026 and the clinic is strict.

Each case is a screening signed on its own planned start (with every review item acknowledged,
as signing requires), then a start asked for on day D.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from screening.engine import Outcome, Policy, evaluate
from screening.engine.gate import Refusal, SignedScreening, may_start
from screening.engine.rules import RULES_BY_CODE
from tests.screening.cases import facts
from tests.screening.test_engine_precedence import any_facts

TODAY = dt.date(2026, 11, 30)
VALID_DAYS = 30


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def signed(
    planned: str, *, policy: Policy = Policy.STRICT, signed_on: dt.date = TODAY, **answers
) -> SignedScreening:
    """A screening evaluated and signed for a start on ``planned``."""
    screened = facts(planned_start=planned, **answers)
    result = evaluate(screened, policy)
    assert result.outcome in {Outcome.CLEAR, Outcome.NEEDS_REVIEW}, result
    return SignedScreening(
        facts=screened,
        signed_on=signed_on,
        eligible=True,
        codes=frozenset(result.contraindications + result.review_items),
        acknowledged=frozenset(result.review_items),
        earliest_start=result.earliest_start,
    )


def gate(screening: SignedScreening, start: str, *, newer=(), today=TODAY):
    return may_start(
        screening=screening,
        start=d(start),
        policy=Policy.STRICT,
        newer_signed_on=newer,
        today=today,
        valid_days=VALID_DAYS,
    )


# (case, signed screening, D, the refusals expected; empty means the start is allowed)
CASES = [
    (
        "latent-TB treatment from 25 Nov, planned 30 Dec, started after 5 days",
        lambda: signed("2026-12-30", tb_test="positive", ltbi_treatment_start="2026-11-25"),
        "2026-11-30",
        {
            Refusal.CONTRAINDICATED_ON_START,
            Refusal.BEFORE_EARLIEST_START,
            Refusal.NEW_CODES_ON_START,
        },
    ),
    (
        "one month of latent-TB treatment complete on D",
        lambda: signed("2026-12-25", tb_test="positive", ltbi_treatment_start="2026-11-25"),
        "2026-12-25",
        set(),
    ),
    (
        "latent-TB treatment one day short of a month on D",
        lambda: signed("2026-12-25", tb_test="positive", ltbi_treatment_start="2026-11-25"),
        "2026-12-24",
        {
            Refusal.CONTRAINDICATED_ON_START,
            Refusal.BEFORE_EARLIEST_START,
            Refusal.NEW_CODES_ON_START,
        },
    ),
    (
        "born 20 Dec 2008, planned on the 18th birthday, started at 17",
        lambda: signed("2026-12-20", date_of_birth="2008-12-20"),
        "2026-11-30",
        {Refusal.CONTRAINDICATED_ON_START, Refusal.NEW_CODES_ON_START},
    ),
    (
        "the 18th birthday is D",
        lambda: signed("2026-12-20", date_of_birth="2008-12-20"),
        "2026-12-20",
        set(),
    ),
    (
        "MMR on 20 Nov, planned 20 Dec, started 10 days after the live vaccine",
        lambda: signed("2026-12-20", recent_vaccines=[{"name": "MMR", "date": "2026-11-20"}]),
        "2026-11-30",
        {
            Refusal.BEFORE_EARLIEST_START,
            Refusal.UNACKNOWLEDGED_ON_START,
            Refusal.NEW_CODES_ON_START,
        },
    ),
    (
        "28 days after a live vaccine on D",
        lambda: signed("2026-12-20", recent_vaccines=[{"name": "MMR", "date": "2026-11-20"}]),
        "2026-12-18",
        set(),
    ),
    (
        "27 days after a live vaccine on D",
        lambda: signed("2026-12-20", recent_vaccines=[{"name": "MMR", "date": "2026-11-20"}]),
        "2026-12-17",
        {
            Refusal.BEFORE_EARLIEST_START,
            Refusal.UNACKNOWLEDGED_ON_START,
            Refusal.NEW_CODES_ON_START,
        },
    ),
    (
        "signed 30 days ago, started 90 days ahead: 120 days old on the first dose",
        lambda: signed("2027-02-28", signed_on=TODAY - dt.timedelta(days=30)),
        "2027-02-28",
        {Refusal.TOO_OLD_ON_START},
    ),
    (
        "at the validity limit on D",
        lambda: signed("2026-12-30"),
        "2026-12-30",
        set(),
    ),
    (
        "one day past the validity limit on D",
        lambda: signed("2026-12-31"),
        "2026-12-31",
        {Refusal.TOO_OLD_ON_START},
    ),
    (
        "the earliest start is D",
        lambda: signed("2026-12-18", recent_vaccines=[{"name": "MMR", "date": "2026-11-20"}]),
        "2026-12-18",
        set(),
    ),
    (
        "signed under us_label with neutropenia as a review item, clinic now strict",
        lambda: signed("2026-11-30", policy=Policy.US_LABEL, anc_10e9_per_l=1.2),
        "2026-11-30",
        {Refusal.CONTRAINDICATED_ON_START},
    ),
    (
        "a start in the past",
        lambda: signed("2026-11-29", signed_on=TODAY - dt.timedelta(days=2)),
        "2026-11-29",
        {Refusal.START_IN_PAST},
    ),
]


@pytest.mark.parametrize(
    ("screening", "start", "refusals"),
    [pytest.param(make, start, refusals, id=case) for case, make, start, refusals in CASES],
)
def test_the_gate_judges_the_signed_screening_on_the_start_day(screening, start, refusals):
    decision = gate(screening(), start)
    assert set(decision.codes) == refusals
    assert decision.allowed is (not refusals)


def test_a_newer_signed_screening_wins():
    older = signed("2026-12-01", signed_on=dt.date(2026, 11, 27))
    decision = gate(older, "2026-12-01", newer=[dt.date(2026, 11, 30)])
    assert decision.codes == (Refusal.NEWER_SCREENING,)
    assert "30 Nov 2026" in decision.message


def test_a_screening_signed_not_started_never_opens_the_gate():
    screening = replace(signed("2026-12-01"), eligible=False)
    assert Refusal.NOT_CLEARED in gate(screening, "2026-12-01").codes


def test_an_unsigned_screening_is_refused():
    screening = replace(signed("2026-12-01"), signed_on=None)
    assert gate(screening, "2026-12-01").codes == (Refusal.NOT_SIGNED,)


def test_the_refusal_says_what_to_do_in_plain_words():
    screening = signed("2026-12-20", date_of_birth="2008-12-20")
    message = gate(screening, "2026-11-30").message
    assert "AGE_UNDER_18" in message
    assert "Screen again with the planned start 30 Nov 2026." in message


starts = st.dates(min_value=dt.date(2026, 11, 30), max_value=dt.date(2027, 3, 31))


@given(any_facts, starts, st.sampled_from(list(Policy)))
def test_property_the_gate_never_allows_a_day_the_engine_would_not(answers, start, policy):
    # The most permissive signed screening: every code seen and acknowledged.
    every_code = frozenset(RULES_BY_CODE)
    screening = SignedScreening(
        facts=answers,
        signed_on=TODAY,
        eligible=True,
        codes=every_code,
        acknowledged=every_code,
        earliest_start=None,
    )
    decision = may_start(
        screening=screening,
        start=start,
        policy=policy,
        newer_signed_on=(),
        today=TODAY,
        valid_days=VALID_DAYS,
    )
    run = evaluate(replace(answers, planned_start=start), policy)
    if decision.allowed:
        assert run.outcome not in {Outcome.CONTRAINDICATED, Outcome.INCOMPLETE}
    else:
        assert decision.message != ""
