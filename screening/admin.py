"""Screenings are read-only in the admin site; every change goes through the services."""

from django.contrib import admin

from clinic_portal.audit import audit
from screening.models import ReviewAcknowledgement, Screening


class AcknowledgementInline(admin.TabularInline):
    model = ReviewAcknowledgement
    extra = 0
    readonly_fields = ["code", "note", "acknowledged_by", "acknowledged_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Screening)
class ScreeningAdmin(admin.ModelAdmin):
    list_display = ["uuid", "patient", "outcome", "rule_set", "signed_at"]
    list_filter = ["outcome", "rule_set", "policy"]
    list_select_related = ["patient"]
    inlines = [AcknowledgementInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        screening = self.get_object(request, object_id)
        if screening is not None:
            audit.record_read("admin.screening.view", patients=[screening.patient], obj=screening)
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            audit.record_read(
                "admin.screening.list", patients=[s.patient for s in changelist.result_list]
            )
        return response
