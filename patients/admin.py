"""Patients in the admin site are read-only: changes go through the portal's services, which keep
the version history and the audit trail. Every admin read of a patient is audited too.

A clinic administrator (not a superuser) sees who a patient is and how to reach them, which is
what their work needs (accounts, invitations, the audit export), and never the clinical fields:
diagnosis, medicines, conditions, notes and allergies. The decision and its reason are in
docs/permissions.md ("The clinic administrator and clinical data")."""

from django.contrib import admin

from clinic_portal.audit.admin_mixins import AuditedReadsAdmin, ReadOnlyAdminMixin
from patients.models import Allergy, Patient, PatientVersion


class AllergyInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Allergy
    extra = 0
    fields = ["substance", "reaction", "severity"]


# Shown to clinic administrators: identity, contact and care team, never clinical content.
ADMINISTRATIVE_FIELDS = [
    "uuid",
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "mrn",
    "user",
    "phone",
    "preferred_language",
    "responsible_clinician",
    "primary_nurse",
    "archived_at",
    "created_at",
    "updated_at",
    "version",
]


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

    def get_fields(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_fields(request, obj)
        return ADMINISTRATIVE_FIELDS

    def get_list_filter(self, request):
        return self.list_filter if request.user.is_superuser else ["archived_at"]

    def get_inlines(self, request, obj):
        return self.inlines if request.user.is_superuser else []


@admin.register(PatientVersion)
class PatientVersionAdmin(AuditedReadsAdmin):
    audit_name = "patient_version"
    list_display = ["patient", "version", "changed_by", "changed_at"]
    list_select_related = ["patient", "changed_by"]
