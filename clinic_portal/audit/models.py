"""The audit log: one append-only table of who did or saw what, when and from where."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import pgettext_lazy


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events are never changed.")  # i18n: not shown

    def delete(self):
        raise AppendOnlyError("Audit events are never deleted.")  # i18n: not shown

    def for_patient(self, patient_uuid) -> AuditEventQuerySet:
        return self.filter(patient_uuid=patient_uuid)

    def reads(self) -> AuditEventQuerySet:
        return self.filter(kind=AuditEvent.Kind.READ)

    def writes(self) -> AuditEventQuerySet:
        return self.exclude(kind=AuditEvent.Kind.READ)


class AuditEvent(models.Model):
    class Kind(models.TextChoices):
        READ = "read", pgettext_lazy("audit event kind", "Read")
        WRITE = "write", pgettext_lazy("audit event kind", "Write")
        AUTH = "auth", pgettext_lazy("audit event kind", "Authentication")
        SYSTEM = "system", pgettext_lazy("audit event kind", "System")

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    action = models.CharField(max_length=64, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Copied at the time, so the log stays readable if the account later changes.
    actor_label = models.CharField(max_length=254, blank=True)
    actor_role = models.CharField(max_length=16, blank=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # A plain UUID rather than a foreign key: the log must outlive and never cascade from the
    # records it describes.
    patient_uuid = models.UUIDField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=256, blank=True)
    detail = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["patient_uuid", "-occurred_at"], name="audit_patient_time_idx"),
            models.Index(fields=["actor", "-occurred_at"], name="audit_actor_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label or 'system'} {self.action}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit events are never changed.")  # i18n: not shown
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events are never deleted.")  # i18n: not shown
