from django.contrib import admin

from clinic_portal.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log can be searched here but never changed or pruned."""

    list_display = ["occurred_at", "kind", "action", "actor_label", "actor_role", "patient_uuid"]
    list_filter = ["kind", "actor_role", "action"]
    search_fields = ["actor_label", "action", "object_id", "=patient_uuid"]
    date_hierarchy = "occurred_at"
    list_select_related = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
