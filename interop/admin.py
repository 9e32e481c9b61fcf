"""Read-only admin pages for support: the messages as received and what became of each count."""

from __future__ import annotations

from django.contrib import admin

from clinic_portal.audit.admin_mixins import AuditedReadsAdmin, ReadOnlyAdminMixin
from interop.models import ApiClient, InboundMessage, LabResult


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["received_at", "channel", "control_id", "claimed_control_id", "outcome", "size"]
    list_filter = ["channel", "outcome"]
    search_fields = ["=control_id", "=claimed_control_id"]
    readonly_fields = ["text"]
    exclude = ["raw"]


@admin.register(LabResult)
class LabResultAdmin(AuditedReadsAdmin):
    audit_name = "lab_result"
    list_display = ["created_at", "lab", "loinc_code", "value_text", "units", "state", "patient"]
    list_filter = ["state"]
    list_select_related = ["patient"]
    patient_of = staticmethod(lambda obj: obj.patient)


@admin.register(ApiClient)
class ApiClientAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "token_prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["token_hash"]
