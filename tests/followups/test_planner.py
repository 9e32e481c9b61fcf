import datetime as dt

import pytest

from followups.planner import Kind, baseline_needed, plan_monitoring
from followups.status import Status, open_status

OCTOBER_FIRST = (10, 1)


def neutrophil_dates(start, anc_sampled_on=None):
    anc_sampled_on = anc_sampled_on or start
    plan = plan_monitoring(start=start, anc_sampled_on=anc_sampled_on, flu_season=OCTOBER_FIRST)
    return [c.due for c in plan if c.kind == Kind.NEUTROPHIL_COUNT]


def test_a_31_january_start_clamps_to_each_months_end():
    assert neutrophil_dates(dt.date(2026, 1, 31)) == [
        dt.date(2026, 2, 28),
        dt.date(2026, 3, 31),
        dt.date(2026, 4, 30),
        dt.date(2026, 7, 31),
        dt.date(2026, 10, 31),
        dt.date(2027, 1, 31),
    ]


def test_a_leap_year_gives_29_february():
    assert neutrophil_dates(dt.date(2028, 1, 31))[0] == dt.date(2028, 2, 29)


def test_a_december_start_rolls_into_the_next_year():
    assert neutrophil_dates(dt.date(2026, 12, 15)) == [
        dt.date(2027, 1, 15),
        dt.date(2027, 2, 15),
        dt.date(2027, 3, 15),
        dt.date(2027, 6, 15),
        dt.date(2027, 9, 15),
        dt.date(2027, 12, 15),
    ]


def test_dates_are_computed_from_the_start_not_chained():
    # Chaining 31 Jan -> 28 Feb -> 28 Mar would lose three days; the plan keeps 31 March.
    assert dt.date(2026, 3, 31) in neutrophil_dates(dt.date(2026, 1, 31))


@pytest.mark.parametrize(
    ("sampled_days_before", "needed"),
    [(None, True), (0, False), (30, False), (31, True), (-1, True)],
)
def test_a_baseline_count_is_planned_when_the_screening_count_is_old_or_missing(
    sampled_days_before, needed
):
    start = dt.date(2026, 12, 1)
    sampled = (
        None if sampled_days_before is None else start - dt.timedelta(days=sampled_days_before)
    )
    assert baseline_needed(start, sampled) is needed
    plan = plan_monitoring(start=start, anc_sampled_on=sampled, flu_season=OCTOBER_FIRST)
    baseline = [c for c in plan if c.kind == Kind.NEUTROPHIL_COUNT and c.due == start]
    assert bool(baseline) is needed


def test_the_whole_plan_for_a_november_start():
    plan = plan_monitoring(
        start=dt.date(2026, 11, 22), anc_sampled_on=None, flu_season=OCTOBER_FIRST
    )
    assert [(c.due.isoformat(), c.kind.value) for c in plan] == [
        ("2026-11-22", "injection_teaching"),
        ("2026-11-22", "neutrophil_count"),
        ("2026-11-22", "vaccination_review"),
        ("2026-12-22", "neutrophil_count"),
        ("2027-01-22", "neutrophil_count"),
        ("2027-02-14", "response_review"),
        ("2027-02-22", "neutrophil_count"),
        ("2027-05-22", "neutrophil_count"),
        ("2027-08-14", "response_review"),
        ("2027-08-22", "neutrophil_count"),
        ("2027-10-01", "influenza_vaccination"),
        ("2027-11-22", "neutrophil_count"),
    ]


def test_a_start_on_the_flu_season_day_checks_flu_that_day():
    plan = plan_monitoring(
        start=dt.date(2026, 10, 1), anc_sampled_on=dt.date(2026, 10, 1), flu_season=OCTOBER_FIRST
    )
    flu = [c.due for c in plan if c.kind == Kind.INFLUENZA_VACCINATION]
    assert flu == [dt.date(2026, 10, 1), dt.date(2027, 10, 1)]


def test_the_flu_season_is_a_setting():
    plan = plan_monitoring(start=dt.date(2026, 11, 22), anc_sampled_on=None, flu_season=(9, 15))
    assert [c.due for c in plan if c.kind == Kind.INFLUENZA_VACCINATION] == [dt.date(2027, 9, 15)]


def test_extending_the_plan_adds_later_flu_seasons_and_response_reviews_only():
    start = dt.date(2026, 11, 22)
    first = plan_monitoring(start=start, anc_sampled_on=None, flu_season=OCTOBER_FIRST)
    longer = plan_monitoring(
        start=start, anc_sampled_on=None, flu_season=OCTOBER_FIRST, until=dt.date(2028, 12, 1)
    )
    assert {(c.due, c.kind) for c in set(longer) - set(first)} == {
        (dt.date(2028, 10, 1), Kind.INFLUENZA_VACCINATION),
        (dt.date(2028, 2, 14), Kind.RESPONSE_REVIEW),
        (dt.date(2028, 8, 14), Kind.RESPONSE_REVIEW),
    }


@pytest.mark.parametrize(
    ("days_until_due", "status"),
    [
        (8, Status.SCHEDULED),
        (7, Status.DUE),
        (0, Status.DUE),
        (-7, Status.DUE),
        (-8, Status.OVERDUE),
    ],
)
def test_open_status_follows_the_due_window_and_grace(days_until_due, status):
    today = dt.date(2026, 11, 22)
    due = today + dt.timedelta(days=days_until_due)
    assert open_status(due, today, due_window_days=7, grace_days=7) == status


def _expected_neutrophil_dates(start: dt.date) -> list[dt.date]:
    """Written independently of the planner: the same day n months on, or the month's end."""
    import calendar

    dates = []
    for months in (1, 2, 3, 6, 9, 12):
        year, month = divmod(start.month - 1 + months, 12)
        year, month = start.year + year, month + 1
        dates.append(dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1])))
    return dates


EVERY_DAY_OF_2027_AND_2028 = [
    dt.date(2027, 1, 1) + dt.timedelta(days=n)
    for n in range((dt.date(2028, 12, 31) - dt.date(2027, 1, 1)).days + 1)
]


def test_the_neutrophil_dates_hold_for_every_start_day_month_ends_leap_years_and_decembers():
    for start in EVERY_DAY_OF_2027_AND_2028:
        plan = plan_monitoring(start=start, anc_sampled_on=start, flu_season=(10, 1))
        planned = [c.due for c in plan if c.kind == Kind.NEUTROPHIL_COUNT]
        assert planned == _expected_neutrophil_dates(start), start


@pytest.mark.django_db
def test_a_planned_or_postponed_course_keeps_the_same_dates(signed_screening, clinician, today):
    from followups import services
    from followups.models import FollowUp

    start, later = dt.date(2026, 12, 29), dt.date(2026, 12, 30)  # December, month-end clamps
    screening = signed_screening(planned_start=start.isoformat())
    course = services.start_therapy(
        screening=screening, actor=clinician, start_date=start, interval="daily", today=today
    )
    services.postpone_course(
        course=course, actor=clinician, new_start=later, reason="Snow", today=today
    )
    planned = sorted(
        FollowUp.objects.filter(therapy=course, kind="neutrophil_count").values_list(
            "due_date", flat=True
        )
    )
    # The screening's count is over 30 days old by then, so a baseline comes first.
    assert planned == [later, *_expected_neutrophil_dates(later)]
    assert dt.date(2027, 2, 28) in planned
