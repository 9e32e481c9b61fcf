"""Patients in the admin site are read-only: changes go through the portal's services, which keep
the version history and the audit trail. Every admin read of a patient is audited too."""

from django.contrib import admin

from clinic_portal.audit.admin_mixins import AuditedReadsAdmin, ReadOnlyAdminMixin
from patients.models import Allergy, Patient, PatientVersion


class AllergyInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Allergy
    extra = 0
    fields = ["substance", "reaction", "severity"]


@admin.register(Patient)
class PatientAdmin(AuditedReadsAdmin):
    audit_name = "patient"
    patient_of = staticmethod(lambda patient: patient)
    list_display = ["family_name", "given_name", "mrn", "date_of_birth", "archived_at"]
    list_filter = ["archived_at", "diagnosis"]
    search_fields = ["family_name", "given_name", "=mrn"]
    list_select_related = ["responsible_clinician"]
    readonly_fields = ["uuid", "version", "created_at", "updated_at", "archived_at"]
    inlines = [AllergyInline]


@admin.register(PatientVersion)
class PatientVersionAdmin(AuditedReadsAdmin):
    audit_name = "patient_version"
    list_display = ["patient", "version", "changed_by", "changed_at"]
    list_select_related = ["patient", "changed_by"]
