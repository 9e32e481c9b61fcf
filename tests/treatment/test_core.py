"""The pure rules of the patient's diary and response review, as tables of cases."""

import datetime as dt
from decimal import Decimal

import pytest

from followups.planner import Kind, plan_monitoring, response_reviews
from treatment import core
from treatment.core import CdaiBand, Interval, Reaction, Site

D = dt.date
START = D(2026, 12, 7)  # a Monday


def test_a_daily_course_injects_every_day_from_the_start():
    assert core.injection_days(
        START, Interval.DAILY, START - dt.timedelta(days=3), D(2026, 12, 9)
    ) == [
        D(2026, 12, 7),
        D(2026, 12, 8),
        D(2026, 12, 9),
    ]


def test_every_other_day_counts_from_the_start_day_whatever_the_window():
    assert core.injection_days(
        START, Interval.EVERY_OTHER_DAY, D(2026, 12, 8), D(2026, 12, 14)
    ) == [
        D(2026, 12, 9),
        D(2026, 12, 11),
        D(2026, 12, 13),
    ]


@pytest.mark.parametrize(
    ("interval", "today", "done_today", "expected"),
    [
        (Interval.DAILY, D(2026, 12, 10), False, D(2026, 12, 10)),
        (Interval.DAILY, D(2026, 12, 10), True, D(2026, 12, 11)),
        (Interval.EVERY_OTHER_DAY, D(2026, 12, 9), False, D(2026, 12, 9)),
        (Interval.EVERY_OTHER_DAY, D(2026, 12, 9), True, D(2026, 12, 11)),
        (Interval.EVERY_OTHER_DAY, D(2026, 12, 10), False, D(2026, 12, 11)),
        (Interval.EVERY_OTHER_DAY, D(2026, 12, 1), False, START),  # planned course
    ],
)
def test_the_next_injection_day(interval, today, done_today, expected):
    assert core.next_injection_day(START, interval, today, done_today=done_today) == expected


@pytest.mark.parametrize(
    ("interval", "taken", "expected"),
    [
        # Daily, 7 to 13 December: three days without an injection.
        (
            Interval.DAILY,
            [D(2026, 12, d) for d in (7, 8, 10, 12)],
            [D(2026, 12, 9), D(2026, 12, 11), D(2026, 12, 13)],
        ),
        # Every other day: only the 7th, 9th, 11th and 13th are due; an injection on an off
        # day (the 10th) does not make up for the 9th.
        (
            Interval.EVERY_OTHER_DAY,
            [D(2026, 12, d) for d in (7, 10, 11)],
            [D(2026, 12, 9), D(2026, 12, 13)],
        ),
        (Interval.EVERY_OTHER_DAY, [D(2026, 12, d) for d in (7, 9, 11, 13)], []),
    ],
)
def test_missed_days_are_injection_days_with_nothing_logged(interval, taken, expected):
    assert core.missed_days(START, interval, taken, START, D(2026, 12, 13)) == expected


def test_adherence_counts_the_last_30_days_and_today_once_logged():
    today = START + dt.timedelta(days=40)
    gaps = {today - dt.timedelta(days=n) for n in (1, 2, 3, 35)}
    logged_missed = {today - dt.timedelta(days=2), today - dt.timedelta(days=35)}
    taken = [START + dt.timedelta(days=i) for i in range(41)]
    taken = [d for d in taken if d not in gaps]
    result = core.adherence(
        start=START, interval=Interval.DAILY, taken=taken, missed=logged_missed, today=today
    )
    assert (result.first, result.last) == (today - dt.timedelta(days=29), today)
    # 30 days, three gaps inside the window: one logged as missed, two with nothing logged.
    assert (result.planned, result.taken, result.missed, result.not_logged) == (30, 27, 1, 2)
    assert result.percent == 90


def test_adherence_leaves_out_today_until_it_is_logged():
    today = START + dt.timedelta(days=40)
    taken = [START + dt.timedelta(days=i) for i in range(40)]
    result = core.adherence(
        start=START, interval=Interval.DAILY, taken=taken, missed=[], today=today
    )
    assert result.last == today - dt.timedelta(days=1)
    assert result.planned == result.taken == 29 and result.percent == 100


def test_adherence_of_an_every_other_day_course_counts_only_its_days():
    today = START + dt.timedelta(days=10)
    result = core.adherence(
        start=START,
        interval=Interval.EVERY_OTHER_DAY,
        taken=[START, START + dt.timedelta(days=2)],
        missed=[START + dt.timedelta(days=4)],
        today=today,
    )
    assert (result.planned, result.taken, result.missed, result.not_logged) == (5, 2, 1, 2)


def test_adherence_before_any_injection_day_has_no_percentage():
    result = core.adherence(start=START, interval=Interval.DAILY, taken=[], missed=[], today=START)
    assert result.planned == 0 and result.percent is None


@pytest.mark.parametrize(
    ("recent", "expected"),
    [
        ([], Site.ABDOMEN_LEFT),
        ([Site.ABDOMEN_LEFT], Site.ABDOMEN_RIGHT),
        ([Site.ABDOMEN_RIGHT, Site.ABDOMEN_LEFT], Site.THIGH_LEFT),
        # Never one of the last three; among the rest the longest rested (never used first).
        ([Site.THIGH_LEFT, Site.ABDOMEN_RIGHT, Site.ABDOMEN_LEFT], Site.THIGH_RIGHT),
        (
            [
                Site.ARM_RIGHT,
                Site.ARM_LEFT,
                Site.THIGH_RIGHT,
                Site.THIGH_LEFT,
                Site.ABDOMEN_RIGHT,
                Site.ABDOMEN_LEFT,
            ],
            Site.ABDOMEN_LEFT,
        ),
        (
            [Site.ABDOMEN_LEFT, Site.ABDOMEN_LEFT, Site.ABDOMEN_LEFT, Site.THIGH_LEFT],
            Site.ABDOMEN_RIGHT,
        ),
    ],
)
def test_the_suggested_site_rotates_away_from_the_last_few(recent, expected):
    assert core.suggest_site(recent) is expected
    assert core.suggest_site(recent) not in recent[: core.ROTATION_MEMORY]


def test_a_full_rotation_visits_every_site_before_repeating():
    used: list[Site] = []
    for _ in range(len(Site)):
        used.insert(0, core.suggest_site(used))
    assert sorted(used) == sorted(Site)


@pytest.mark.parametrize(
    ("reaction", "attention"),
    [
        (None, False),
        ("", False),
        (Reaction.NONE, False),
        (Reaction.MILD, False),
        (Reaction.LARGE, True),
        (Reaction.LASTING, True),
    ],
)
def test_only_a_large_or_lasting_site_reaction_needs_the_nurse(reaction, attention):
    assert core.reaction_needs_attention(reaction) is attention


@pytest.mark.parametrize(
    ("missed", "day", "attention"),
    [
        ([D(2026, 12, 8), D(2026, 12, 10)], D(2026, 12, 10), False),
        ([D(2026, 12, 8), D(2026, 12, 10), D(2026, 12, 14)], D(2026, 12, 14), True),  # 7 days
        ([D(2026, 12, 8), D(2026, 12, 10), D(2026, 12, 15)], D(2026, 12, 15), False),  # 8 days
        # A late entry for an earlier day counts too.
        ([D(2026, 12, 8), D(2026, 12, 10), D(2026, 12, 12)], D(2026, 12, 8), True),
        ([D(2026, 12, 1), D(2026, 12, 2), D(2026, 12, 20)], D(2026, 12, 20), False),
    ],
)
def test_three_missed_doses_within_seven_days_need_the_nurse(missed, day, attention):
    assert core.missed_doses_need_attention(missed, day) is attention


@pytest.mark.parametrize(
    ("score", "band"),
    [
        ("0", CdaiBand.REMISSION),
        ("2.8", CdaiBand.REMISSION),
        ("2.9", CdaiBand.LOW),
        ("10", CdaiBand.LOW),
        ("10.1", CdaiBand.MODERATE),
        ("22", CdaiBand.MODERATE),
        ("22.1", CdaiBand.HIGH),
        ("76", CdaiBand.HIGH),
    ],
)
def test_cdai_bands_at_their_published_cut_offs(score, band):
    assert core.cdai_band(Decimal(score)) is band


def test_cdai_is_the_sum_of_the_four_parts():
    assert core.cdai_score(
        tender=4, swollen=3, patient_global=Decimal("5.5"), evaluator_global=Decimal("4")
    ) == Decimal("16.5")


@pytest.mark.parametrize(
    "parts",
    [
        {"tender": 29, "swollen": 0, "patient_global": Decimal(0), "evaluator_global": Decimal(0)},
        {"tender": 0, "swollen": -1, "patient_global": Decimal(0), "evaluator_global": Decimal(0)},
        {
            "tender": 0,
            "swollen": 0,
            "patient_global": Decimal("10.5"),
            "evaluator_global": Decimal(0),
        },
        {"tender": 0, "swollen": 0, "patient_global": Decimal(0), "evaluator_global": Decimal(-1)},
    ],
)
def test_cdai_refuses_parts_outside_their_ranges(parts):
    with pytest.raises(core.CdaiInputError):
        core.cdai_score(**parts)


def test_the_trend_is_in_date_order_with_a_direction():
    trend = core.cdai_trend([(D(2027, 9, 1), Decimal("8")), (D(2027, 3, 1), Decimal("24"))])
    assert [p.band for p in trend] == [CdaiBand.HIGH, CdaiBand.LOW]
    assert core.trend_direction(trend) == "better"
    assert core.trend_direction(trend[:1]) == ""


def test_the_plan_has_teaching_on_the_start_day_and_a_review_at_12_weeks():
    plan = plan_monitoring(start=START, anc_sampled_on=START, flu_season=(10, 1))
    teaching = [c.due for c in plan if c.kind == Kind.INJECTION_TEACHING]
    reviews = [c.due for c in plan if c.kind == Kind.RESPONSE_REVIEW]
    assert teaching == [START]
    # 12 weeks, then 6 months after that first review; the plan's first year ends at month 12.
    assert reviews == [START + dt.timedelta(weeks=12), D(2027, 9, 1)]


def test_response_reviews_are_computed_from_the_first_review_not_chained():
    start = D(2026, 11, 5)  # first review on 28 January; + 1 month would be 28 February
    reviews = response_reviews(start, start, D(2028, 12, 31), weeks=12, every_months=1)
    assert [r.due for r in reviews][:3] == [D(2027, 1, 28), D(2027, 2, 28), D(2027, 3, 28)]
    assert reviews[0].label == "Response review, 12 weeks"


def test_the_review_interval_is_a_setting():
    reviews = response_reviews(START, START, D(2028, 12, 31), weeks=12, every_months=12)
    assert [r.due for r in reviews] == [D(2027, 3, 1), D(2028, 3, 1)]


def test_adherence_counts_the_last_day_of_treatment_and_nothing_after():
    # followups: ``stopped_on`` is the last day of treatment, so its injection is expected.
    result = core.adherence(
        start=START,
        interval=Interval.DAILY,
        taken=[START, START + dt.timedelta(days=1), START + dt.timedelta(days=2)],
        missed=[],
        today=START + dt.timedelta(days=10),
        stopped_on=START + dt.timedelta(days=2),
    )
    assert (result.planned, result.taken, result.not_logged) == (3, 3, 0)
