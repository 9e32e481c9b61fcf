"""Screenings: the answers, the result and the signature. A signed screening is never changed;
an amendment is a new screening that supersedes it (enforced by a PostgreSQL trigger too)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from clinic_portal.core.links import uuid_url
from screening.engine.result import ScreeningResult


class FrozenScreeningError(Exception):
    """A signed screening (or its acknowledgements) cannot be changed."""


class ScreeningQuerySet(models.QuerySet["Screening"]):
    def for_patients(self, patients) -> ScreeningQuerySet:
        return self.filter(patient__in=patients)

    def signed(self) -> ScreeningQuerySet:
        return self.filter(signed_at__isnull=False)

    def drafts(self) -> ScreeningQuerySet:
        return self.filter(signed_at__isnull=True)

    def current(self) -> ScreeningQuerySet:
        """Signed screenings that no signed amendment has replaced."""
        return self.signed().exclude(superseded_by__signed_at__isnull=False)


class Screening(models.Model):
    class Outcome(models.TextChoices):
        CONTRAINDICATED = "contraindicated", _("Contraindicated")
        INCOMPLETE = "incomplete", _("Incomplete")
        NEEDS_REVIEW = "needs_review", _("Needs review")
        CLEAR = "clear", _("Clear")

    class Decision(models.TextChoices):
        ELIGIBLE = "eligible", _("May start Kineret")
        NOT_STARTED = "not_started", _("Not started")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="screenings"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    policy = models.CharField(max_length=16)
    # The facts as JSON (screening.engine.facts_to_dict); partial while a draft.
    answers = models.JSONField(default=dict)
    # When the screening's neutrophil count was taken: decides whether therapy needs a baseline.
    anc_sampled_on = models.DateField(_("date of the neutrophil count"), null=True, blank=True)
    # The engine's output (ScreeningResult.as_dict) and the rule set that made it.
    result = models.JSONField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    rule_set = models.CharField(max_length=32, blank=True)
    evaluated_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=16, choices=Decision.choices, blank=True)
    not_started_reason = models.TextField(blank=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )

    objects = ScreeningQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["patient", "-created_at"], name="screening_patient_idx"),
            models.Index(fields=["outcome"], name="screening_outcome_idx"),
            # The rheumatologist's home: screenings waiting for a signature, oldest first.
            models.Index(
                fields=["created_at"],
                condition=models.Q(signed_at__isnull=True),
                name="screening_unsigned_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(signed_at__isnull=True)
                | (
                    models.Q(signed_by__isnull=False)
                    & ~models.Q(decision="")
                    & ~models.Q(outcome="")
                    & ~models.Q(outcome="incomplete")
                ),
                name="screening_signed_is_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"Screening {self.uuid} ({self.outcome or 'draft'})"

    def save(self, *args, **kwargs) -> None:
        if self.pk and type(self).objects.filter(pk=self.pk, signed_at__isnull=False).exists():
            raise FrozenScreeningError(_("A signed screening is never changed; amend it instead."))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return uuid_url("screening:detail", self.uuid)

    def delete(self, *args, **kwargs):
        raise FrozenScreeningError(_("Screenings are never deleted."))

    @property
    def evaluation(self) -> ScreeningResult | None:
        """The stored result, typed: how every reader gets at outcome, codes, dosing and the
        earliest start (never by string key). ``None`` for a draft not yet evaluated."""
        return ScreeningResult.from_stored(self.result) if self.result else None

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    @property
    def is_superseded(self) -> bool:
        successor = getattr(self, "superseded_by", None)
        return successor is not None and successor.is_signed

    @property
    def status_label(self) -> str:
        if self.is_superseded:
            return pgettext("screening status", "Superseded")
        if self.is_signed:
            return pgettext("screening status", "Signed")
        if self.result:
            return pgettext("screening status", "Evaluated, not signed")
        return pgettext("screening status", "Draft")


class ReviewAcknowledgement(models.Model):
    """A clinician's note on one review item, required before signing a needs-review result."""

    screening = models.ForeignKey(
        Screening, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    code = models.CharField(max_length=48)
    note = models.TextField()
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["acknowledged_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["screening", "code"], name="ack_once_per_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} on {self.screening_id}"
