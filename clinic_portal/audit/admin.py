from django.contrib import admin

from clinic_portal.audit.admin_mixins import ReadOnlyAdminMixin
from clinic_portal.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the audit log can be searched here but never changed or pruned."""

    list_display = ["occurred_at", "kind", "action", "actor_label", "actor_role", "patient_uuid"]
    list_filter = ["kind", "actor_role", "action"]
    search_fields = ["actor_label", "action", "object_id", "=patient_uuid"]
    date_hierarchy = "occurred_at"
    list_select_related = False
