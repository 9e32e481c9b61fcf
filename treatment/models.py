"""The patient's own Kineret: injection diary, CDAI assessments, the patient's global score
before a review, attention items for the primary nurse, and private calendar links."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from treatment.core import (
    CDAI_BAND_LABELS,
    MISSED_REASON_LABELS,
    REACTION_LABELS,
    SITE_LABELS,
    AttentionCause,
    CdaiBand,
    MissedReason,
    Reaction,
    Site,
    cdai_band,
)


def _choices(labels: dict) -> list[tuple[str, str]]:
    """The core's English labels, translated where they are shown."""
    return [(key.value, _(label)) for key, label in labels.items()]


class InjectionEntryQuerySet(models.QuerySet["InjectionEntry"]):
    def taken(self) -> InjectionEntryQuerySet:
        return self.filter(kind=InjectionEntry.Kind.TAKEN)

    def missed(self) -> InjectionEntryQuerySet:
        return self.filter(kind=InjectionEntry.Kind.MISSED)


class InjectionEntry(models.Model):
    """One day of the diary: an injection given, or a dose missed and why. Written only by the
    patient; one entry per course and day, so a double tap cannot log a day twice."""

    class Kind(models.TextChoices):
        TAKEN = "taken", _("Injection given")
        MISSED = "missed", _("Dose missed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="injection_entries"
    )
    therapy = models.ForeignKey(
        "followups.TherapyCourse", on_delete=models.PROTECT, related_name="injection_entries"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    day = models.DateField()
    time = models.TimeField(null=True, blank=True)
    site = models.CharField(max_length=16, choices=_choices(SITE_LABELS), blank=True)
    reaction = models.CharField(max_length=8, choices=_choices(REACTION_LABELS), blank=True)
    reaction_noted_at = models.DateTimeField(null=True, blank=True)
    missed_reason = models.CharField(
        max_length=16, choices=_choices(MISSED_REASON_LABELS), blank=True
    )
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = InjectionEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["therapy", "day"], name="one_diary_entry_per_day"),
            models.CheckConstraint(
                condition=(Q(kind="taken") & ~Q(site="") & Q(missed_reason=""))
                | (Q(kind="missed") & Q(site="") & ~Q(missed_reason="") & Q(reaction="")),
                name="diary_entry_fields_match_kind",
            ),
        ]
        indexes = [models.Index(fields=["patient", "-day"], name="diary_patient_day_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.day}"

    @property
    def site_enum(self) -> Site | None:
        return Site(self.site) if self.site else None

    @property
    def is_severe(self) -> bool:
        return self.reaction in {Reaction.LARGE, Reaction.LASTING}

    @property
    def missed_reason_enum(self) -> MissedReason | None:
        return MissedReason(self.missed_reason) if self.missed_reason else None


class AttentionItemQuerySet(models.QuerySet["AttentionItem"]):
    def open(self) -> AttentionItemQuerySet:
        return self.filter(resolved_at__isnull=True)


class AttentionItem(models.Model):
    """Something in the diary that the primary nurse should look at (a severe or lasting site
    reaction, or missed doses). Separate from the rheumatologist's alerts: nurses handle these."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="attention_items"
    )
    nurse = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attention_items",
    )
    cause = models.CharField(
        max_length=16,
        choices=[(c.value, c.value.replace("_", " ").lower()) for c in AttentionCause],
    )
    message = models.CharField(max_length=300)
    entry = models.ForeignKey(
        InjectionEntry, on_delete=models.PROTECT, related_name="attention_items"
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(blank=True)

    objects = AttentionItemQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["cause", "entry"], name="attention_once_per_entry"),
            # A run of missed doses is one item until the nurse closes it.
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(cause="MISSED_DOSES", resolved_at__isnull=True),
                name="one_open_missed_doses_item",
            ),
        ]
        indexes = [models.Index(fields=["nurse", "resolved_at"], name="attention_open_idx")]

    def __str__(self) -> str:
        return self.message


class CdaiAssessment(models.Model):
    """A CDAI recorded by a rheumatologist, usually at a response review. Never edited: a wrong
    entry is corrected by recording a new one."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="cdai_assessments"
    )
    therapy = models.ForeignKey(
        "followups.TherapyCourse",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cdai_assessments",
    )
    followup = models.ForeignKey(
        "followups.FollowUp",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cdai_assessments",
    )
    assessed_on = models.DateField()
    tender_joints = models.PositiveSmallIntegerField(validators=[MaxValueValidator(28)])
    swollen_joints = models.PositiveSmallIntegerField(validators=[MaxValueValidator(28)])
    patient_global = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    evaluator_global = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    score = models.DecimalField(max_digits=4, decimal_places=1)
    band = models.CharField(max_length=10, choices=_choices(CDAI_BAND_LABELS))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["assessed_on", "recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tender_joints__lte=28) & Q(swollen_joints__lte=28),
                name="cdai_joint_counts_28",
            ),
            models.CheckConstraint(
                condition=Q(patient_global__gte=0, patient_global__lte=10)
                & Q(evaluator_global__gte=0, evaluator_global__lte=10),
                name="cdai_globals_0_to_10",
            ),
        ]

    def __str__(self) -> str:
        return f"CDAI {self.score} on {self.assessed_on}"

    @property
    def band_enum(self) -> CdaiBand:
        return cdai_band(self.score)


class PatientGlobal(models.Model):
    """The patient's own 0-10 rating of how their arthritis is, entered before a review. The
    latest one before the visit is offered to the rheumatologist."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="patient_globals"
    )
    followup = models.ForeignKey(
        "followups.FollowUp", on_delete=models.PROTECT, related_name="patient_globals"
    )
    score = models.DecimalField(
        max_digits=3, decimal_places=1, validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-entered_at", "-id"]

    def __str__(self) -> str:
        return f"Patient global {self.score}"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarTokenQuerySet(models.QuerySet["CalendarToken"]):
    def current(self) -> CalendarTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class CalendarToken(models.Model):
    """The secret in a private calendar link. Resetting revokes it and issues another, so an old
    link stops working at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="calendar_tokens"
    )
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = CalendarTokenQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="one_current_calendar_token",
            )
        ]

    def __str__(self) -> str:
        return f"Calendar link of user {self.user_id}"


class InjectionTeaching(models.Model):
    """A nurse showed the patient how to inject, on ``taught_on``. Until this exists the patient's
    home shows that the nurse will teach them, instead of the diary."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="injection_teachings"
    )
    therapy = models.OneToOneField(
        "followups.TherapyCourse", on_delete=models.PROTECT, related_name="injection_teaching"
    )
    taught_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Shown how to inject on {self.taught_on}"
