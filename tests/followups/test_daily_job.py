import datetime as dt
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from clinic_portal.notifications import services as outbox
from clinic_portal.notifications.models import OutboundEmail
from clinic_portal.notifications.tasks import (
    MAX_RETRIES,
    send_outbound_email,
    send_outbound_emails,
)
from followups import services as followup_services
from followups.daily import PLAN_HORIZON_DAYS, extend_plans, refresh_statuses, run_daily
from followups.models import FollowUp, TherapyCourse, status_for
from followups.planner import flu_season_starts, influenza_check, response_reviews
from tests.factories import PatientFactory
from tests.support import flaky_smtp


def test_statuses_move_with_the_calendar_in_two_updates(
    therapy, month_one, django_assert_num_queries
):
    due_day = month_one.due_date
    assert month_one.status == "scheduled"
    with django_assert_num_queries(2):
        refresh_statuses(due_day - dt.timedelta(days=7))
    month_one.refresh_from_db()
    assert month_one.status == "due"
    refresh_statuses(due_day + dt.timedelta(days=8))
    month_one.refresh_from_db()
    assert month_one.status == "overdue"


def test_running_the_daily_job_twice_sends_one_reminder(
    therapy, month_one, mailoutbox, django_capture_on_commit_callbacks
):
    week_before = month_one.due_date - dt.timedelta(days=7)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            run_daily(week_before)
    reminders = [m for m in mailoutbox if m.to == [therapy.patient.user.email]]
    assert len(reminders) == 1
    body = reminders[0].body
    assert "a blood test is due on" in body and "http" in body
    assert "neutrophil" not in body.lower()
    assert OutboundEmail.objects.filter(purpose="reminder").count() == 1


def test_a_reminder_on_the_due_day_too(
    therapy, month_one, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run_daily(month_one.due_date)
    assert any("is due today" in m.body for m in mailoutbox)


def test_a_redelivered_send_task_sends_nothing_twice(
    therapy, month_one, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run_daily(month_one.due_date)
    email = OutboundEmail.objects.get(purpose="reminder")
    again = send_outbound_emails.apply(args=[[email.pk]]).get()
    assert again["sent"] == 0 and again["not_claimed"] == 1
    # A message of the one-row task, left in the queue from before batches, is honoured alike.
    assert send_outbound_email.apply(args=[email.pk]).get() == "not_claimed"
    assert len([m for m in mailoutbox if m.subject.startswith("Reminder")]) == 1


def test_nurses_get_a_daily_digest_once(
    therapy, nurse, month_one, mailoutbox, django_capture_on_commit_callbacks
):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            run_daily(month_one.due_date)
    digests = [m for m in mailoutbox if m.to == [nurse.email]]
    assert len(digests) == 1
    assert "Due today: 1" in digests[0].body


def test_a_dry_run_changes_nothing(therapy, month_one):
    summary = run_daily(month_one.due_date + dt.timedelta(days=30), dry_run=True)
    assert summary.became_overdue >= 1
    month_one.refresh_from_db()
    assert month_one.status == "scheduled"
    assert not OutboundEmail.objects.exists()


def _wait_out_the_backoff(email=None) -> None:
    """The clock moves on past every row's next attempt (and the beat's pick-up grace)."""
    from django.utils import timezone

    OutboundEmail.objects.filter(status="pending").update(
        next_attempt_at=timezone.now() - dt.timedelta(minutes=2)
    )


def test_a_failed_send_is_retried_and_then_delivered(
    settings, therapy, month_one, mailoutbox, django_capture_on_commit_callbacks
):
    settings.MAILERS = {"default": {"BACKEND": "tests.support.flaky_smtp.FlakySMTPBackend"}}
    flaky_smtp.FAILURES_LEFT["count"] = 2
    with django_capture_on_commit_callbacks(execute=True):
        run_daily(month_one.due_date)
    email = OutboundEmail.objects.get(purpose="reminder")
    for _ in range(10):
        if not OutboundEmail.objects.filter(status="pending").exists():
            break
        _wait_out_the_backoff()
        with django_capture_on_commit_callbacks(execute=True):
            outbox.requeue_due()  # the per-minute beat
        email.refresh_from_db()
    assert email.status == "sent" and email.attempts >= 2
    # The two refusals were retried: every row sent, two attempts more than rows in all.
    rows = OutboundEmail.objects.all()
    assert {row.status for row in rows} == {"sent"}
    assert sum(row.attempts for row in rows) == len(rows) + 2
    assert len([m for m in mailoutbox if m.subject.startswith("Reminder")]) == 1


def test_after_the_last_retry_the_email_stays_visibly_failed(
    settings, therapy, month_one, mailoutbox, django_capture_on_commit_callbacks
):
    settings.MAILERS = {"default": {"BACKEND": "tests.support.flaky_smtp.FlakySMTPBackend"}}
    flaky_smtp.FAILURES_LEFT["count"] = 100
    with django_capture_on_commit_callbacks(execute=True):
        run_daily(month_one.due_date)
    email = OutboundEmail.objects.get(purpose="reminder")
    for _ in range(20):
        _wait_out_the_backoff(email)
        with django_capture_on_commit_callbacks(execute=True):
            outbox.requeue_due()  # the per-minute beat
    flaky_smtp.FAILURES_LEFT["count"] = 0
    email.refresh_from_db()
    assert email.status == "failed"
    assert email.attempts == MAX_RETRIES + 1
    assert "SMTPServerDisconnected" in email.last_error


def test_backoff_grows_exponentially_and_is_capped():
    from clinic_portal.notifications.tasks import backoff_seconds

    assert [backoff_seconds(n) for n in range(7)] == [60, 120, 240, 480, 960, 1920, 3600]


def test_a_stuck_claim_is_taken_over_after_a_while(
    therapy, month_one, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    email = OutboundEmail.objects.create(
        dedupe_key="x",
        purpose="test",
        to_email="a@b.invalid",
        subject="s",
        body="b",
        status="sending",
        claimed_at=timezone.now() - dt.timedelta(hours=1),
    )
    assert outbox.deliver(email.pk) == "sent"


def test_patients_without_email_are_skipped_visibly(
    therapy, month_one, django_capture_on_commit_callbacks
):
    user = therapy.patient.user
    user.email = None
    user.save()
    run_daily(month_one.due_date)
    assert OutboundEmail.objects.get(purpose="reminder").status == "skipped"


def test_the_plan_is_extended_to_next_years_flu_season(therapy, today):
    next_year = today + dt.timedelta(days=400)
    summary = run_daily(next_year)
    assert summary.checks_added >= 1
    assert FollowUp.objects.filter(therapy=therapy, kind="influenza_vaccination").count() >= 2
    assert run_daily(next_year).checks_added == 0


def test_the_command_runs_for_a_given_date_and_dry_run(therapy, month_one):
    out = StringIO()
    call_command(
        "run_daily_followups",
        "--date",
        (month_one.due_date + dt.timedelta(days=9)).isoformat(),
        "--dry-run",
        stdout=out,
    )
    assert '"dry_run": true' in out.getvalue()
    month_one.refresh_from_db()
    assert month_one.status == "scheduled"
    call_command(
        "run_daily_followups",
        "--date",
        (month_one.due_date + dt.timedelta(days=9)).isoformat(),
        stdout=StringIO(),
    )
    month_one.refresh_from_db()
    assert month_one.status == "overdue"


def test_the_command_rejects_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("run_daily_followups", "--date", "tomorrow")


@pytest.fixture
def course_started(signed_screening, clinician, nurse, today):
    """Another patient's course, begun on ``start``."""

    def make(start: dt.date) -> TherapyCourse:
        patient = PatientFactory(responsible_clinician=clinician, primary_nurse=nurse)
        course = followup_services.start_therapy(
            screening=signed_screening(for_patient=patient),
            actor=clinician,
            start_date=today,
            interval="daily",
            today=today,
        )
        TherapyCourse.objects.filter(pk=course.pk).update(start_date=start)
        course.refresh_from_db()
        return course

    return make


def _planned_a_year_ahead(course: TherapyCourse, day: dt.date) -> set:
    until = day + dt.timedelta(days=PLAN_HORIZON_DAYS)
    checks = response_reviews(
        course.start_date,
        day,
        until,
        weeks=settings.CLINIC_RESPONSE_REVIEW_WEEKS,
        every_months=settings.CLINIC_RESPONSE_REVIEW_EVERY_MONTHS,
    ) + [
        influenza_check(season)
        for season in flu_season_starts(day, until, settings.CLINIC_FLU_SEASON_START)
        if season >= course.start_date
    ]
    return {(c.kind.value, c.label, c.due, status_for(c.due, day).value) for c in checks}


def test_each_course_gets_the_checks_its_planner_gives_a_year_ahead(therapy, course_started, today):
    # A start on the 31st: its reviews fall on shorter months' last days.
    end_of_month = today.replace(day=1) - dt.timedelta(days=1)
    while end_of_month.day != 31:
        end_of_month = end_of_month.replace(day=1) - dt.timedelta(days=1)
    courses = [therapy, course_started(today - dt.timedelta(days=45)), course_started(end_of_month)]
    later = today + dt.timedelta(days=400)
    until = later + dt.timedelta(days=PLAN_HORIZON_DAYS)
    summary = run_daily(later)
    expected = [_planned_a_year_ahead(course, later) for course in courses]
    assert summary.checks_added == sum(len(checks) for checks in expected)
    for course, checks in zip(courses, expected, strict=True):
        added = FollowUp.objects.filter(
            therapy=course,
            patient=course.patient,
            kind__in=["response_review", "influenza_vaccination"],
            due_date__gte=later,
            due_date__lte=until,
        )
        assert {(f.kind, f.label, f.due_date, f.status) for f in added} == checks
        assert {len(str(f.uuid)) for f in added} == {36} and added.count() == len(checks)
    assert run_daily(later).checks_added == 0


def test_extending_the_plans_takes_the_same_queries_for_one_course_or_many(
    therapy, course_started, today
):
    later = today + dt.timedelta(days=400)

    def statements() -> int:
        with CaptureQueriesContext(connection) as queries, transaction.atomic():
            added = extend_plans(later)
            transaction.set_rollback(True)
        assert added > 0
        return len(queries)

    one = statements()
    for days in (40, 95, 230, 310):
        course_started(today - dt.timedelta(days=days))
    assert statements() == one


def test_a_stopped_course_gets_no_new_checks(therapy, course_started, clinician, today):
    course = course_started(today - dt.timedelta(days=100))
    followup_services.stop_therapy(
        therapy=course, actor=clinician, stopped_on=today, reason="Remission", today=today
    )
    later = today + dt.timedelta(days=400)
    assert run_daily(later).checks_added == len(_planned_a_year_ahead(therapy, later))
    assert not FollowUp.objects.filter(therapy=course, due_date__gt=today, status="scheduled")


def test_a_check_the_nurse_moved_is_not_planned_again_on_its_old_day(therapy, nurse, today):
    run_daily(today)
    review, flu = (
        FollowUp.objects.filter(therapy=therapy, kind=kind, status="scheduled")
        .order_by("due_date")
        .first()
        for kind in ("response_review", "influenza_vaccination")
    )
    for check, days in ((review, 4), (review, 9), (flu, 9)):  # the review moves twice
        check.refresh_from_db()
        followup_services.reschedule_followup(
            followup=check,
            actor=nurse,
            new_date=check.due_date
            + dt.timedelta(days=days - (4 if check.rescheduled_from else 0)),
            reason="Clinic closed that week",
            today=today,
        )
    review.refresh_from_db(), flu.refresh_from_db()

    assert run_daily(today + dt.timedelta(days=1)).checks_added == 0
    for check in (review, flu):
        planned = check.rescheduled_from
        assert check.due_date == planned + dt.timedelta(days=9)
        assert not FollowUp.objects.filter(therapy=therapy, kind=check.kind, due_date=planned)
