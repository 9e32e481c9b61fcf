"""Screenings are read-only in the admin site; every change goes through the services."""

from django.contrib import admin

from clinic_portal.audit.admin_mixins import AuditedReadsAdmin, ReadOnlyAdminMixin
from screening.models import ReviewAcknowledgement, Screening


class AcknowledgementInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ReviewAcknowledgement
    extra = 0
    readonly_fields = ["code", "note", "acknowledged_by", "acknowledged_at"]


@admin.register(Screening)
class ScreeningAdmin(AuditedReadsAdmin):
    audit_name = "screening"
    list_display = ["uuid", "patient", "outcome", "rule_set", "signed_at"]
    list_filter = ["outcome", "rule_set", "policy"]
    list_select_related = ["patient"]
    inlines = [AcknowledgementInline]
