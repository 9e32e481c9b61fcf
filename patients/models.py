"""The patient record: demographics, allergies, medications, and its version history."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic_portal.core.links import uuid_url
from patients.choices import Diagnosis, Language, Severity, Sex


class PatientQuerySet(models.QuerySet["Patient"]):
    def active(self) -> PatientQuerySet:
        return self.filter(archived_at__isnull=True)

    def archived(self) -> PatientQuerySet:
        return self.filter(archived_at__isnull=False)

    def visible_to(self, user) -> PatientQuerySet:
        """The patients ``user`` may see at all. The single source of this rule is here."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_care_team:
            return self.all()
        if user.is_patient:
            return self.filter(user=user)
        return self.none()


class Patient(models.Model):
    # The only identifier in URLs; sequential ids would let anyone count and guess records.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="patient_profile"
    )
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=8, choices=Sex.choices)
    mrn = models.CharField(_("medical record number"), max_length=20, unique=True)
    phone = models.CharField(max_length=32, blank=True)
    preferred_language = models.CharField(
        max_length=8, choices=Language.choices, default=Language.ENGLISH
    )
    responsible_clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="patients_responsible_for",
        limit_choices_to={"role": "clinician", "is_active": True},
    )
    primary_nurse = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="patients_nursed",
        limit_choices_to={"role": "nurse", "is_active": True},
    )
    diagnosis = models.CharField(
        max_length=32, choices=Diagnosis.choices, default=Diagnosis.RHEUMATOID_ARTHRITIS
    )
    diagnosis_onset = models.DateField(_("diagnosis onset"), null=True, blank=True)
    current_medications = models.TextField(
        blank=True, help_text=_("One medicine per line, with dose if known.")
    )
    relevant_conditions = models.TextField(blank=True, help_text=_("One condition per line."))
    notes = models.TextField(blank=True)
    # Said, not assumed: an empty allergy list is "not recorded" until someone ticks this.
    no_known_allergies = models.BooleanField(
        _("no known allergies"),
        default=False,
        help_text=_("Tick only after asking the patient. Leave unticked if not asked yet."),
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    # Optimistic concurrency: an edit names the version it started from.
    version = models.PositiveIntegerField(default=1)

    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        indexes = [
            models.Index(fields=["family_name", "given_name"], name="patient_name_idx"),
            models.Index(fields=["date_of_birth"], name="patient_dob_idx"),
            models.Index(fields=["responsible_clinician"], name="patient_clinician_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.mrn})"

    def get_absolute_url(self) -> str:
        return uuid_url("patients:detail", self.uuid)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def email(self) -> str | None:
        return self.user.email

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def medication_lines(self) -> list[str]:
        return [line.strip() for line in self.current_medications.splitlines() if line.strip()]

    @property
    def condition_lines(self) -> list[str]:
        return [line.strip() for line in self.relevant_conditions.splitlines() if line.strip()]

    def age_on(self, day) -> int:
        years = day.year - self.date_of_birth.year
        if (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day):
            years -= 1
        return years


class Allergy(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="allergies")
    substance = models.CharField(max_length=120)
    reaction = models.CharField(max_length=200, blank=True)
    severity = models.CharField(max_length=12, choices=Severity.choices, default=Severity.UNKNOWN)

    class Meta:
        ordering = ["substance", "id"]
        verbose_name_plural = _("allergies")

    def __str__(self) -> str:
        return self.substance


class PatientVersion(models.Model):
    """A full snapshot of the record after each change.

    Snapshots rather than diffs: any past state can be shown whole without replaying a chain,
    and the audit log already carries the field-level before and after of each change.
    """

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    data = models.JSONField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "version"], name="patient_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.patient_id} v{self.version}"
