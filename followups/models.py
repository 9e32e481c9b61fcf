"""Therapy courses, their follow-up checks, results, vaccinations and clinician alerts."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic_portal.core.links import uuid_url
from followups.planner import Kind
from followups.rules import NOT_STARTED, CourseState, Severity, course_state
from followups.status import CLOSED, OPEN, Status, due_until, open_status, overdue_before
from screening.engine.neutrophils import Reading, interpret_anc

ONGOING = Q(stopped_on__isnull=True, cancelled_at__isnull=True)
INTERVAL_WORDS = {"daily": "once a day", "every_other_day": "every other day"}


class TherapyCourseQuerySet(models.QuerySet["TherapyCourse"]):
    """ "The patient's course" everywhere: planned, on hold or active (not stopped or cancelled)."""

    def ongoing(self) -> TherapyCourseQuerySet:
        return self.filter(ONGOING)

    def active_on(self, today: dt.date) -> TherapyCourseQuerySet:
        """Started by ``today``, not on hold, not stopped."""
        return self.ongoing().filter(start_date__lte=today, held_at__isnull=True)

    def not_started_on(self, today: dt.date) -> TherapyCourseQuerySet:
        """Ongoing but not yet begun on ``today``: planned to start later, or on hold."""
        return self.ongoing().filter(Q(start_date__gt=today) | Q(held_at__isnull=False))


class TherapyCourse(models.Model):
    class Interval(models.TextChoices):
        DAILY = "daily", _("100 mg once a day")
        EVERY_OTHER_DAY = "every_other_day", _("100 mg every other day")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="therapies"
    )
    screening = models.OneToOneField(
        "screening.Screening", on_delete=models.PROTECT, related_name="therapy"
    )
    start_date = models.DateField()
    dose_mg = models.PositiveSmallIntegerField(default=100)
    interval = models.CharField(max_length=16, choices=Interval.choices)
    interval_override_reason = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    stopped_on = models.DateField(null=True, blank=True)
    stop_reason = models.TextField(blank=True)
    stopped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A planned course that never began.
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Something unsafe arrived before the start: the rheumatologist confirms or postpones.
    held_at = models.DateTimeField(null=True, blank=True)
    hold_reason = models.CharField(max_length=300, blank=True)

    objects = TherapyCourseQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=ONGOING,
                name="one_ongoing_kineret_course_per_patient",
            ),
        ]
        indexes = [
            # Ongoing courses by start date: the clinician's home (courses starting in the next
            # two weeks) and the daily job (the distinct start dates it plans reviews for).
            models.Index(fields=["start_date"], condition=ONGOING, name="course_ongoing_start_idx"),
        ]

    def __str__(self) -> str:
        return f"Kineret from {self.start_date}"

    @property
    def is_ongoing(self) -> bool:
        return self.stopped_on is None and self.cancelled_at is None

    @property
    def is_held(self) -> bool:
        return self.held_at is not None

    def state_on(self, today: dt.date) -> CourseState:
        return course_state(
            start=self.start_date,
            stopped_on=self.stopped_on,
            cancelled=self.cancelled_at is not None,
            held=self.held_at is not None,
            today=today,
        )

    def not_started_on(self, today: dt.date) -> bool:
        return self.state_on(today) in NOT_STARTED

    @property
    def dosing(self) -> str:
        """ "100 mg every other day": the dose and the interval, as patients and staff read it.
        A lookup in the choices' labels: ``get_interval_display()`` rebuilds the choices'
        dictionary on every call, which a worklist of 50 rows felt."""
        return str(INTERVAL_LABELS.get(self.interval, self.interval))


INTERVAL_LABELS = dict(TherapyCourse.Interval.choices)


class FollowUpQuerySet(models.QuerySet["FollowUp"]):
    """Open checks are placed by their dates, so the lists are right even if the daily job has
    not yet run today; the stored status is the job's bulk-updated copy."""

    def open(self) -> FollowUpQuerySet:
        return self.filter(status__in=OPEN)

    def overdue(self, today: dt.date) -> FollowUpQuerySet:
        return self.open().filter(due_date__lt=overdue_cutoff(today))


def overdue_cutoff(today: dt.date) -> dt.date:
    """Open checks due before this day are overdue (followups.status with the clinic's grace)."""
    return overdue_before(today, grace_days=settings.CLINIC_FOLLOWUP_GRACE_DAYS)


def due_cutoff(today: dt.date) -> dt.date:
    """Open checks due on or before this day (and not overdue) are due."""
    return due_until(today, due_window_days=settings.CLINIC_FOLLOWUP_DUE_WINDOW_DAYS)


def status_for(due: dt.date, today: dt.date) -> Status:
    """An open check's status on ``today`` under the clinic's due window and grace."""
    return open_status(
        due,
        today,
        due_window_days=settings.CLINIC_FOLLOWUP_DUE_WINDOW_DAYS,
        grace_days=settings.CLINIC_FOLLOWUP_GRACE_DAYS,
    )


# How staff read a check's status (the patient pages say it in their own words).
STATUS_LABELS = {
    Status.SCHEDULED: _("scheduled"),
    Status.DUE: _("due"),
    Status.OVERDUE: _("overdue"),
    Status.COMPLETED: _("completed"),
    Status.CANCELLED: _("cancelled"),
    Status.NOT_DONE: _("not done"),
}


class FollowUp(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    therapy = models.ForeignKey(TherapyCourse, on_delete=models.PROTECT, related_name="followups")
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="followups"
    )
    kind = models.CharField(
        max_length=32, choices=[(k.value, k.value.replace("_", " ")) for k in Kind]
    )
    label = models.CharField(max_length=80)
    due_date = models.DateField()
    status = models.CharField(
        max_length=12,
        choices=[(s.value, STATUS_LABELS[s]) for s in Status],
        default=Status.SCHEDULED,
    )
    reason = models.TextField(blank=True, help_text=_("Why it was not done, cancelled or moved."))
    rescheduled_from = models.DateField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["therapy", "kind", "due_date"], name="followup_once_per_day"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"], name="followup_status_due_idx"),
            models.Index(fields=["patient", "due_date"], name="followup_patient_due_idx"),
            # The worklist's tabs walk these in order and stop after a page (or the count cap).
            models.Index(
                fields=["due_date", "id"],
                condition=Q(status__in=OPEN),
                name="followup_open_due_idx",
            ),
            models.Index(
                fields=["closed_at", "id"],
                condition=Q(status__in=CLOSED),
                name="followup_closed_at_idx",
            ),
            # The daily job leaves alone the day a moved check was first planned for.
            models.Index(
                fields=["therapy", "kind", "rescheduled_from"],
                condition=Q(rescheduled_from__isnull=False),
                name="followup_moved_from_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} due {self.due_date}"

    def get_absolute_url(self) -> str:
        return uuid_url("followups:followup", self.uuid)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def is_blood_test(self) -> bool:
        return self.kind == Kind.NEUTROPHIL_COUNT

    def status_on(self, today: dt.date) -> Status:
        if not self.is_open:
            return Status(self.status)
        return status_for(self.due_date, today)


class NeutrophilResult(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="neutrophil_results"
    )
    therapy = models.ForeignKey(
        TherapyCourse, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    followup = models.ForeignKey(
        FollowUp, null=True, blank=True, on_delete=models.PROTECT, related_name="results"
    )
    value = models.DecimalField(_("ANC (× 10⁹/L)"), max_digits=5, decimal_places=2)
    sample_date = models.DateField()
    lab = models.CharField(max_length=120)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )

    class Meta:
        ordering = ["sample_date", "recorded_at"]

    def __str__(self) -> str:
        return f"ANC {self.value} on {self.sample_date}"

    @property
    def interpretation(self) -> Reading:
        return interpret_anc(self.value)


class Vaccination(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="vaccinations"
    )
    therapy = models.ForeignKey(
        TherapyCourse, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    followup = models.ForeignKey(
        FollowUp, null=True, blank=True, on_delete=models.PROTECT, related_name="vaccinations"
    )
    name = models.CharField(_("vaccine as written"), max_length=120)
    catalogue_name = models.CharField(max_length=120, blank=True)
    # None: not in the catalogue, so nobody knows yet; flagged for review.
    live = models.BooleanField(null=True)
    given_on = models.DateField()
    dose_number = models.PositiveSmallIntegerField(null=True, blank=True)
    where_given = models.CharField(max_length=120, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-given_on", "-id"]

    def __str__(self) -> str:
        return f"{self.name} on {self.given_on}"


class AlertQuerySet(models.QuerySet["Alert"]):
    def open(self) -> AlertQuerySet:
        return self.filter(resolved_at__isnull=True)


class Alert(models.Model):
    class Severity(models.TextChoices):
        URGENT = Severity.URGENT.value, _("Urgent")
        ATTENTION = Severity.ATTENTION.value, _("Attention")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="alerts")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="alerts"
    )
    severity = models.CharField(max_length=10, choices=Severity.choices)
    cause = models.CharField(max_length=40)
    message = models.CharField(max_length=300)
    source_type = models.CharField(max_length=40)
    source_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledgement_note = models.TextField(blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cause", "source_type", "source_id"], name="alert_once_per_source"
            ),
        ]
        indexes = [models.Index(fields=["clinician", "resolved_at"], name="alert_open_idx")]

    def __str__(self) -> str:
        return f"{self.get_severity_display()}: {self.message}"

    def get_absolute_url(self) -> str:
        return uuid_url("followups:alert", self.uuid)
