from django.contrib import admin

from clinic_portal.audit.admin_mixins import ReadOnlyAdminMixin
from clinic_portal.notifications.models import OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only view of the outbox, so failed sends are visible to the clinic admin."""

    list_display = ["created_at", "purpose", "to_email", "status", "attempts", "sent_at"]
    list_filter = ["status", "purpose"]
    search_fields = ["to_email", "dedupe_key"]
    readonly_fields = [f.name for f in OutboundEmail._meta.fields]
