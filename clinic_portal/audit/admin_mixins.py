"""Admin building blocks for clinical records: read-only, and every read written to the log."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin

from clinic_portal.audit import audit


class ReadOnlyAdminMixin:
    """Clinical rows change only through the portal's services, never in the admin site."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AuditedReadsAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """A read-only ModelAdmin whose list and detail pages write read events per patient.

    ``patient_of`` returns the patient a row belongs to; ``audit_name`` names the event.
    """

    audit_name: str = ""
    patient_of: Callable = staticmethod(lambda obj: obj.patient)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = self.get_object(request, object_id)
        if obj is not None:
            audit.record_read(
                f"admin.{self.audit_name}.view", patients=[self.patient_of(obj)], obj=obj
            )
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            audit.record_read(
                f"admin.{self.audit_name}.list",
                patients=[self.patient_of(obj) for obj in changelist.result_list],
            )
        return response
