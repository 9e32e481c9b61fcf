"""The outbox: every email the portal sends is first a row here, unique by its purpose.

A second run of a job, or a re-delivered task, finds the row already there (``dedupe_key``) or
already claimed (a conditional UPDATE), so nobody gets the same email twice. A failed send stays
visible as ``failed`` with its last error; nothing is dropped silently.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboundEmail(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to send")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed after retries")
        SKIPPED = "skipped", _("Not sent (no address)")

    dedupe_key = models.CharField(max_length=120, unique=True)
    purpose = models.CharField(max_length=32, db_index=True)
    to_email = models.EmailField(blank=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    # The clinic day this email belongs to (a reminder's day, a digest's day).
    scheduled_for = models.DateField(null=True, blank=True)
    patient_uuid = models.UUIDField(null=True, blank=True, db_index=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # When the next try may start: now for a new row, later after a failed try (backoff).
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="outbox_status_idx"),
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} to {self.to_email or '(nobody)'}: {self.status}"
