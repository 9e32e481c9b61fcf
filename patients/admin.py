"""Patients in the admin site are read-only: changes go through the portal's services, which keep
the version history and the audit trail. Every admin read of a patient is audited too."""

from django.contrib import admin

from clinic_portal.audit import audit
from patients.models import Allergy, Patient, PatientVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AllergyInline(admin.TabularInline):
    model = Allergy
    extra = 0
    fields = ["substance", "reaction", "severity"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Patient)
class PatientAdmin(ReadOnlyAdmin):
    list_display = ["family_name", "given_name", "mrn", "date_of_birth", "archived_at"]
    list_filter = ["archived_at", "diagnosis"]
    search_fields = ["family_name", "given_name", "=mrn"]
    list_select_related = ["responsible_clinician"]
    readonly_fields = ["uuid", "version", "created_at", "updated_at", "archived_at"]
    inlines = [AllergyInline]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        patient = self.get_object(request, object_id)
        if patient is not None:
            audit.record_read("admin.patient.view", patients=[patient], obj=patient)
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            audit.record_read("admin.patient.list", patients=changelist.result_list)
        return response


@admin.register(PatientVersion)
class PatientVersionAdmin(ReadOnlyAdmin):
    list_display = ["patient", "version", "changed_by", "changed_at"]
    list_select_related = ["patient", "changed_by"]

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            audit.record_read(
                "admin.patient_version.list",
                patients=[version.patient for version in changelist.result_list],
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        version = self.get_object(request, object_id)
        if version is not None:
            audit.record_read("admin.patient_version.view", patients=[version.patient], obj=version)
        return response
