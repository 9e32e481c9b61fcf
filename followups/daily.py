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
from django.utils import translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from clinic_portal.accounts.language import language_for
from clinic_portal.accounts.models import User
from clinic_portal.accounts.roles import Role
from clinic_portal.audit import audit
from clinic_portal.audit.models import AuditEvent
from clinic_portal.notifications.services import EmailSpec, queue_emails, requeue_stuck
from followups.models import FollowUp, TherapyCourse, due_cutoff, overdue_cutoff
from followups.plan_rows import add_check_to_courses, add_checks_by_start_date
from followups.planner import Kind, flu_season_starts, influenza_check, response_reviews
from followups.status import Status

REMINDER_DAYS_BEFORE = 7
PLAN_HORIZON_DAYS = 365
WHAT_FOR: dict[str, str | Promise] = {
    Kind.NEUTROPHIL_COUNT: gettext_lazy("a blood test"),
    Kind.VACCINATION_REVIEW: gettext_lazy("a check of your vaccinations"),
    Kind.INFLUENZA_VACCINATION: gettext_lazy("your yearly flu vaccination"),
    Kind.INJECTION_TEACHING: gettext_lazy("a session with your nurse on how to inject"),
    Kind.RESPONSE_REVIEW: gettext_lazy("a clinic appointment"),
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
    seasons and the response reviews continue. Set-based: a statement per flu season and a few
    for the reviews, whatever the number of courses, each adding only the checks that are
    missing."""
    until = today + dt.timedelta(days=PLAN_HORIZON_DAYS)
    added = 0
    for day in flu_season_starts(today, until, settings.CLINIC_FLU_SEASON_START):
        # Every course begun by the season's start has its flu check.
        courses = TherapyCourse.objects.ongoing().filter(start_date__lte=day)
        added += add_check_to_courses(courses, influenza_check(day), today)
    return added + extend_response_reviews(today)


def extend_response_reviews(today: dt.date) -> int:
    """The response reviews of the coming year for every active course. The planner dates them
    from the course's start, so it runs once for each start date (at most one a day of the
    clinic's history), and the courses are joined to those plans by their start date."""
    until = today + dt.timedelta(days=PLAN_HORIZON_DAYS)
    courses = TherapyCourse.objects.ongoing()
    starts = courses.order_by().values_list("start_date", flat=True).distinct()
    plan = [
        (start, check)
        for start in starts
        for check in response_reviews(
            start,
            today,
            until,
            weeks=settings.CLINIC_RESPONSE_REVIEW_WEEKS,
            every_months=settings.CLINIC_RESPONSE_REVIEW_EVERY_MONTHS,
        )
    ]
    return add_checks_by_start_date(courses, plan, today)


def _reminder(followup: FollowUp, today: dt.date, which: str) -> EmailSpec:
    # Written in the patient's language, whatever language the job runs in.
    with translation.override(language_for(followup.patient.preferred_language)):
        what = str(WHAT_FOR.get(followup.kind, _("a check")))
        if which == "due_day":
            due = _("This is a reminder that %(what)s is due today.") % {"what": what}
        else:
            due = _("This is a reminder that %(what)s is due on %(day)s.") % {
                "what": what,
                "day": date_format(followup.due_date, "SHORT_DATE_FORMAT"),
            }
        subject = _("Reminder from %(clinic)s") % {"clinic": settings.CLINIC_NAME}
        body = _(
            "Hello %(name)s,\n\n%(due)s\n\n"
            "You can see your next checks in the clinic portal: %(link)s\n\n"
            "If you have questions, call us on %(phone)s.\n"
        ) % {
            "name": followup.patient.given_name,
            "due": due,
            "link": f"{settings.SITE_URL}/",
            "phone": settings.CLINIC_PHONE,
        }
    return EmailSpec(
        # The due date is part of the key: a rescheduled check is reminded of its new date.
        dedupe_key=f"reminder:{followup.pk}:{followup.due_date.isoformat()}:{which}",
        purpose="reminder",
        to_email=followup.patient.user.email or "",
        subject=subject,
        body=body,
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
    # Both counts are of checks due by today: the bound lets the open checks' index serve them
    # instead of a scan of every follow-up.
    counts = (
        FollowUp.objects.open()
        .filter(due_date__lte=today, patient__archived_at__isnull=True)
        .aggregate(
            due_today=Count("id", filter=Q(due_date=today)),
            overdue=Count("id", filter=Q(due_date__lt=overdue_cutoff(today))),
        )
    )
    if not counts["due_today"] and not counts["overdue"]:
        return 0
    nurses = User.objects.filter(role=Role.NURSE, is_active=True).exclude(email=None)
    specs = [_digest(nurse, today, counts) for nurse in nurses]
    return queue_emails(specs)


def _digest(nurse: User, today: dt.date, counts: dict) -> EmailSpec:
    with translation.override(language_for(nurse.language)):
        day = date_format(today, pgettext("date format: weekday, day and month", "l j F"))
        subject = _("Follow-ups for %(day)s") % {"day": day}
        body = _(
            "Good morning %(name)s,\n\nDue today: %(due)s\nOverdue: %(overdue)s\n\n"
            "The worklist: %(link)s\n"
        ) % {
            "name": nurse.get_short_name(),
            "due": counts["due_today"],
            "overdue": counts["overdue"],
            "link": f"{settings.SITE_URL}/followups/",
        }
    assert nurse.email is not None  # nurses without an address are left out of the digest
    return EmailSpec(
        dedupe_key=f"digest:{nurse.pk}:{today.isoformat()}",
        purpose="digest",
        to_email=nurse.email,
        subject=subject,
        body=body,
        scheduled_for=today,
    )


def run_daily(today: dt.date, *, dry_run: bool = False, manual: bool = False) -> DailySummary:
    """The whole job for one clinic day, in one transaction, with its audit record (a dry run
    changes nothing and records nothing). The beat task and the catch-up command only call this."""
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
        else:
            detail = {**summary.as_dict(), "manual": True} if manual else summary.as_dict()
            audit.record("system.daily_followups", detail=detail, kind=AuditEvent.Kind.SYSTEM)
    return summary
