"""Read-only admin views of the diary and assessments; every read is in the access log."""

from django.contrib import admin

from clinic_portal.audit.admin_mixins import AuditedReadsAdmin
from treatment.models import AttentionItem, CdaiAssessment, InjectionEntry


@admin.register(InjectionEntry)
class InjectionEntryAdmin(AuditedReadsAdmin):
    audit_name = "injection_entry"
    list_display = ["day", "kind", "site", "reaction", "missed_reason"]
    list_filter = ["kind", "reaction"]
    list_select_related = ["patient"]


@admin.register(AttentionItem)
class AttentionItemAdmin(AuditedReadsAdmin):
    audit_name = "attention_item"
    list_display = ["created_at", "cause", "nurse", "resolved_at"]
    list_filter = ["cause"]
    list_select_related = ["patient", "nurse"]


@admin.register(CdaiAssessment)
class CdaiAssessmentAdmin(AuditedReadsAdmin):
    audit_name = "cdai"
    list_display = ["assessed_on", "score", "band", "recorded_by"]
    list_select_related = ["patient", "recorded_by"]
