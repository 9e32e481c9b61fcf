from django.contrib import admin

from clinic_portal.audit import audit
from clinic_portal.audit.admin_mixins import ReadOnlyAdminMixin
from clinic_portal.notifications.models import OutboundEmail

# What the outbox shows: who, what kind, how it went. Never subjects or bodies.
VISIBLE_FIELDS = [
    "to_email",
    "purpose",
    "status",
    "attempts",
    "created_at",
    "next_attempt_at",
    "sent_at",
]


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only view of the outbox, so the clinic admin sees failed sends. Recipients are
    patients' addresses, so each page writes read events for the patients it lists."""

    list_display = ["created_at", "purpose", "to_email", "status", "attempts", "sent_at"]
    list_filter = ["status", "purpose"]
    search_fields = ["to_email"]
    fields = VISIBLE_FIELDS
    readonly_fields = VISIBLE_FIELDS

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            patients = {e.patient_uuid for e in changelist.result_list if e.patient_uuid}
            audit.record_read("admin.outbox.list", patients=patients)
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        email = self.get_object(request, object_id)
        if email is not None and email.patient_uuid:
            audit.record_read("admin.outbox.view", patients=[email.patient_uuid], obj=email)
        return response
