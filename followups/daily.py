"""The daily follow-up job: statuses, plan extension, patient reminders and nurse digests.

Every step is idempotent: statuses are set by conditional bulk UPDATEs, plan rows and outbox
rows are unique, so running the job twice for the same day changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q

from clinic_portal.accounts.models import User
from clinic_portal.accounts.roles import Role
from clinic_portal.notifications.services import EmailSpec, queue_emails, requeue_stuck
from followups.models import FollowUp, TherapyCourse, due_cutoff, overdue_cutoff, status_for
from followups.planner import Kind, flu_season_starts, influenza_check, response_reviews
from followups.status import Status

REMINDER_DAYS_BEFORE = 7
PLAN_HORIZON_DAYS = 365
WHAT_FOR = {
    Kind.NEUTROPHIL_COUNT: "a blood test",
    Kind.VACCINATION_REVIEW: "a check of your vaccinations",
    Kind.INFLUENZA_VACCINATION: "your yearly flu vaccination",
    Kind.INJECTION_TEACHING: "a session with your nurse on how to inject",
    Kind.RESPONSE_REVIEW: "a clinic appointment",
}


@dataclass(frozen=True)
class DailySummary:
    day: str
    became_due: int
    became_overdue: int
    checks_added: int
    reminders_queued: int
    digests_queued: int
    emails_requeued: int

    def as_dict(self) -> dict:
        return asdict(self)


def refresh_statuses(today: dt.date) -> tuple[int, int]:
    """Two UPDATE statements, whatever the number of follow-ups."""
    overdue_before = overdue_cutoff(today)
    overdue = FollowUp.objects.filter(
        status__in=[Status.SCHEDULED, Status.DUE], due_date__lt=overdue_before
    ).update(status=Status.OVERDUE)
    due = FollowUp.objects.filter(
        status=Status.SCHEDULED,
        due_date__lte=due_cutoff(today),
        due_date__gte=overdue_before,
    ).update(status=Status.DUE)
    return due, overdue


def extend_plans(today: dt.date) -> int:
    """Keep a year of checks ahead for every active course. Beyond the first year only the flu
    seasons continue, so this adds each active course's next flu-season checks in one insert."""
    until = today + dt.timedelta(days=PLAN_HORIZON_DAYS)
    seasons = [
        influenza_check(day)
        for day in flu_season_starts(today, until, settings.CLINIC_FLU_SEASON_START)
    ]
    if not seasons:
        return extend_response_reviews(today)
    courses = TherapyCourse.objects.ongoing().values_list("id", "patient_id", "start_date")
    rows = [
        FollowUp(
            therapy_id=therapy_id,
            patient_id=patient_id,
            kind=check.kind,
            label=check.label,
            due_date=check.due,
            status=status_for(check.due, today),
        )
        for therapy_id, patient_id, start in courses.iterator()
        for check in seasons
        if check.due >= start
    ]
    flu = FollowUp.objects.filter(
        kind=Kind.INFLUENZA_VACCINATION, due_date__in=[c.due for c in seasons]
    )
    before = flu.count()
    FollowUp.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    return flu.count() - before + extend_response_reviews(today)


def extend_response_reviews(today: dt.date) -> int:
    """The response reviews of the coming year for every active course, in one insert."""
    until = today + dt.timedelta(days=PLAN_HORIZON_DAYS)
    courses = TherapyCourse.objects.ongoing().values_list("id", "patient_id", "start_date")
    rows = [
        FollowUp(
            therapy_id=therapy_id,
            patient_id=patient_id,
            kind=check.kind,
            label=check.label,
            due_date=check.due,
            status=status_for(check.due, today),
        )
        for therapy_id, patient_id, start in courses.iterator()
        for check in response_reviews(
            start,
            today,
            until,
            weeks=settings.CLINIC_RESPONSE_REVIEW_WEEKS,
            every_months=settings.CLINIC_RESPONSE_REVIEW_EVERY_MONTHS,
        )
    ]
    if not rows:
        return 0
    reviews = FollowUp.objects.filter(kind=Kind.RESPONSE_REVIEW)
    before = reviews.count()
    FollowUp.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    return reviews.count() - before


def _reminder(followup: FollowUp, today: dt.date, which: str) -> EmailSpec:
    what = WHAT_FOR.get(followup.kind, "a check")
    when = "today" if which == "due_day" else f"on {followup.due_date:%A %-d %B}"
    return EmailSpec(
        # The due date is part of the key: a rescheduled check is reminded of its new date.
        dedupe_key=f"reminder:{followup.pk}:{followup.due_date.isoformat()}:{which}",
        purpose="reminder",
        to_email=followup.patient.user.email or "",
        subject=f"Reminder from {settings.CLINIC_NAME}",
        body=(
            f"Hello {followup.patient.given_name},\n\n"
            f"This is a reminder that {what} is due {when}.\n\n"
            f"You can see your next checks in the clinic portal: {settings.SITE_URL}/\n\n"
            f"If you have questions, call us on {settings.CLINIC_PHONE}.\n"
        ),
        scheduled_for=today,
        patient_uuid=followup.patient.uuid,
    )


def queue_reminders(today: dt.date) -> int:
    week_ahead = today + dt.timedelta(days=REMINDER_DAYS_BEFORE)
    # A course on hold waits for the rheumatologist: its patient is not reminded meanwhile.
    followups = (
        FollowUp.objects.open()
        .filter(
            due_date__in=[today, week_ahead],
            patient__archived_at__isnull=True,
            therapy__held_at__isnull=True,
        )
        .select_related("patient__user")
    )
    specs = [
        _reminder(followup, today, "due_day" if followup.due_date == today else "week_before")
        for followup in followups
    ]
    return queue_emails(specs)


def queue_digests(today: dt.date) -> int:
    counts = (
        FollowUp.objects.open()
        .filter(patient__archived_at__isnull=True)
        .aggregate(
            due_today=Count("id", filter=Q(due_date=today)),
            overdue=Count("id", filter=Q(due_date__lt=overdue_cutoff(today))),
        )
    )
    if not counts["due_today"] and not counts["overdue"]:
        return 0
    nurses = User.objects.filter(role=Role.NURSE, is_active=True).exclude(email=None)
    specs = [
        EmailSpec(
            dedupe_key=f"digest:{nurse.pk}:{today.isoformat()}",
            purpose="digest",
            to_email=nurse.email,
            subject=f"Follow-ups for {today:%A %-d %B}",
            body=(
                f"Good morning {nurse.get_short_name()},\n\n"
                f"Due today: {counts['due_today']}\nOverdue: {counts['overdue']}\n\n"
                f"The worklist: {settings.SITE_URL}/followups/\n"
            ),
            scheduled_for=today,
        )
        for nurse in nurses
    ]
    return queue_emails(specs)


def run_daily(today: dt.date, *, dry_run: bool = False) -> DailySummary:
    with transaction.atomic():
        became_due, became_overdue = refresh_statuses(today)
        added = extend_plans(today)
        reminders = queue_reminders(today)
        digests = queue_digests(today)
        requeued = requeue_stuck()
        summary = DailySummary(
            day=today.isoformat(),
            became_due=became_due,
            became_overdue=became_overdue,
            checks_added=added,
            reminders_queued=reminders,
            digests_queued=digests,
            emails_requeued=requeued,
        )
        if dry_run:
            transaction.set_rollback(True)
    return summary
