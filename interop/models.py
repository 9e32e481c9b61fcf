"""What the portal receives from and gives to other systems.

- ``InboundMessage``: every HL7 message and FHIR write as received, raw, with the answer given.
  An accepted message's control id (MSH-10) is unique, so a resend is recognised.
- ``LabResult``: each neutrophil count taken from a message, and where it went: filed on the
  patient's record, or on the unmatched list until a nurse attaches or rejects it.
- ``ApiClient``: a system allowed to use the FHIR API, with scopes and a hashed bearer token.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from followups.models import interpret_anc


class InboundMessage(models.Model):
    class Channel(models.TextChoices):
        HL7 = "hl7", _("HL7 v2 over MLLP")
        FHIR = "fhir", _("FHIR API")

    class Outcome(models.TextChoices):
        ACCEPTED = "AA", _("Accepted")
        ERROR = "AE", _("Error")
        REJECTED = "AR", _("Rejected")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Set only when the message was accepted: the key that makes a resend harmless. A message
    # answered AE may be corrected and sent again under the same id.
    control_id = models.CharField(max_length=64, null=True, blank=True, unique=True)
    claimed_control_id = models.CharField(max_length=64, blank=True)
    sending_application = models.CharField(max_length=120, blank=True)
    sending_facility = models.CharField(max_length=120, blank=True)
    peer = models.CharField(max_length=80, blank=True)
    api_client = models.ForeignKey(
        "interop.ApiClient", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    raw = models.BinaryField()
    size = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=2, choices=Outcome.choices)
    error = models.TextField(blank=True)
    ack = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.control_id or self.claimed_control_id}"

    @property
    def text(self) -> str:
        return bytes(self.raw).decode("utf-8", errors="replace")


class LabResultQuerySet(models.QuerySet["LabResult"]):
    def unmatched(self) -> LabResultQuerySet:
        return self.filter(state=LabResult.State.UNMATCHED)


class LabResult(models.Model):
    class State(models.TextChoices):
        FILED = "filed", _("Filed automatically")
        UNMATCHED = "unmatched", _("Waiting for a nurse")
        ATTACHED = "attached", _("Attached by a nurse")
        REJECTED = "rejected", _("Rejected by a nurse")
        NOT_FINAL = "not_final", _("Not final (kept, not filed)")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    message = models.ForeignKey(InboundMessage, on_delete=models.PROTECT, related_name="results")
    created_at = models.DateTimeField(default=timezone.now)
    lab = models.CharField(max_length=120)
    filler_order = models.CharField(_("filler order (OBR-3)"), max_length=80, blank=True)
    loinc_code = models.CharField(max_length=16)
    value_text = models.CharField(_("value as sent"), max_length=200, blank=True)
    units = models.CharField(_("unit as sent"), max_length=40, blank=True)
    value = models.DecimalField(_("ANC (× 10⁹/L)"), max_digits=5, decimal_places=2, null=True)
    result_status = models.CharField(max_length=2, blank=True)
    sampled_at = models.DateTimeField(null=True, blank=True)
    # The patient as the message names them, kept for the nurse's comparison.
    reported_mrn = models.CharField(max_length=40, blank=True)
    reported_family_name = models.CharField(max_length=100, blank=True)
    reported_given_name = models.CharField(max_length=100, blank=True)
    reported_date_of_birth = models.DateField(null=True, blank=True)
    reported_date_of_birth_text = models.CharField(max_length=40, blank=True)
    state = models.CharField(max_length=12, choices=State.choices)
    problems = models.JSONField(default=list, blank=True)
    patient = models.ForeignKey(
        "patients.Patient",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lab_results",
    )
    neutrophil_result = models.OneToOneField(
        "followups.NeutrophilResult",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lab_result",
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(blank=True)

    objects = LabResultQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["created_at", "id"],
                condition=Q(state="unmatched"),
                name="labresult_unmatched_idx",
            ),
            models.Index(fields=["filler_order"], name="labresult_filler_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.loinc_code} {self.value_text} {self.units} ({self.get_state_display()})"

    @property
    def interpretation(self) -> str:
        """The portal's reading of the count (urgent, attention, normal), or "" if unknown."""
        return interpret_anc(self.value) if self.value is not None else ""

    @property
    def reported_name(self) -> str:
        return " ".join(n for n in (self.reported_given_name, self.reported_family_name) if n)


class ApiClientQuerySet(models.QuerySet["ApiClient"]):
    def active(self) -> ApiClientQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiClient(models.Model):
    class Scope(models.TextChoices):
        READ = "patient/*.read", _("Read patient data (patient/*.read)")
        WRITE_OBSERVATION = "Observation.write", _("Send neutrophil counts (Observation.write)")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120)
    scopes = models.JSONField(default=list)
    # Only a SHA-256 of the token is kept; the token itself is shown once, when created.
    token_hash = models.CharField(max_length=64, unique=True)
    token_prefix = models.CharField(max_length=12)
    # The account this client acts as in the audit log and on results it sends.
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_client"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ApiClientQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def has_scope(self, scope: str) -> bool:
        return self.is_active and scope in self.scopes
