"""Portal invitations: a signed, one-time, expiring link that lets a patient set a password."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.display import detail_rows
from portal.urgency import URGENT_ALONE, measured_temperature


class Invitation(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="invitations"
    )
    email = models.EmailField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Invitation for {self.patient_id} ({self.status})"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "replaced"
        if self.expires_at <= timezone.now():
            return "expired"
        if self.opened_at:
            return "opened"
        return "sent"


class Concern(models.Model):
    """Something a patient reports from the leaflet's "when to call" list. Never edited or
    deleted by the patient; they can add messages."""

    class Category(models.TextChoices):
        FEVER = "fever", _("Fever")
        INFECTION = "infection", _("Infection, or I think I have one")
        ANTIBIOTICS = "antibiotics", _("Another doctor gave me antibiotics")
        SURGERY = "surgery", _("I have an operation or procedure coming up")
        PREGNANCY = "pregnancy", _("Pregnancy")
        VACCINATION = "vaccination", _("I am planning a vaccination")
        RASH = "rash", _("A rash")
        INJECTION_SITE = "injection_site", _("A bad reaction where I inject")
        SIDE_EFFECTS = (
            "side_effects",
            _("A side effect, such as headache, nausea or a stomach upset"),
        )
        STOPPING = "stopping", _("I am thinking of stopping Kineret")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        NEW = "new", _("Sent to your care team")
        ACKNOWLEDGED = "acknowledged", _("Seen by your care team")
        REPLIED = "replied", _("Your care team replied")
        ESCALATED = "escalated", _("Passed to your rheumatologist")
        RESOLVED = "resolved", _("Closed")

    # Categories that can be urgent on their own; portal.urgency (the one home) decides for each
    # report's answers too (a fever under the threshold is not, a side effect with a fever is).
    URGENT = URGENT_ALONE
    # The statuses above are worded for the patient; staff lists use these.
    STAFF_STATUS = {
        "new": _("Waiting for triage"),
        "acknowledged": _("Acknowledged"),
        "replied": _("Replied"),
        "escalated": _("Escalated"),
        "resolved": _("Resolved"),
    }

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="concerns"
    )
    category = models.CharField(max_length=16, choices=Category.choices)
    details = models.JSONField(default=dict, blank=True)
    urgent = models.BooleanField(default=False)
    # For a planned vaccination: True live, False not live, None not recognised.
    vaccine_live = models.BooleanField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"], name="concern_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_category_display()} ({self.get_status_display()})"

    @property
    def detail_rows(self) -> list[tuple[str, str]]:
        return detail_rows(self.details)

    @property
    def temperature(self):
        return measured_temperature(self.details) if self.category == "fever" else None

    def get_staff_status_display(self) -> str:
        return str(self.STAFF_STATUS.get(self.status, self.get_status_display()))


class ConcernMessage(models.Model):
    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_patient = models.BooleanField()
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Message on {self.concern_id}"
