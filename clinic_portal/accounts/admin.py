"""Accounts in the admin site.

Only superusers change what decides power: ``is_superuser``, ``is_staff``, the role, groups and
permissions, and passwords. A clinic administrator without superuser status may correct names,
emails and whether an account is active, never on a superuser's account. Every change to a user
is audited with its before and after (``accounts.services.audit_admin_change``), and the list of
users is a read of the patients it shows.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clinic_portal.accounts import services
from clinic_portal.accounts.forms import AdminUserChangeForm, AdminUserCreationForm
from clinic_portal.accounts.models import User
from clinic_portal.accounts.roles import Role
from clinic_portal.audit import audit

# Fields that decide what an account may do: superusers only.
POWER_FIELDS = ["is_superuser", "is_staff", "role", "groups", "user_permissions", "password"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = AdminUserChangeForm
    add_form = AdminUserCreationForm
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "is_active", "is_staff", "last_login"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "role"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    actions = ["end_all_sessions"]

    @admin.action(description=_("Log the selected users out everywhere"))
    def end_all_sessions(self, request, queryset):
        ended = sum(services.end_sessions(user=user, actor=request.user) for user in queryset)
        self.message_user(
            request,
            ngettext("Ended %(count)d session.", "Ended %(count)d sessions.", ended)
            % {"count": ended},
        )

    add_fieldsets = [
        (None, {"fields": ["email", "full_name", "role", "password1", "password2"]}),
    ]

    # --- who may change what ----------------------------------------------------------------

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += [name for name in POWER_FIELDS if name not in fields]
        return fields

    def has_add_permission(self, request) -> bool:
        # A new account carries a role and a password: both are superuser decisions.
        return request.user.is_superuser and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            raise PermissionDenied
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            services.record_admin_password_set(
                user=self.get_object(request, id), actor=request.user
            )
        return response

    # --- every change audited, before and after -----------------------------------------------

    def save_model(self, request, obj, form, change):
        request._user_before = services.user_snapshot(User.objects.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.audit_admin_change(
            user=form.instance,
            actor=request.user,
            before=getattr(request, "_user_before", {}),
            created=not change,
        )

    # --- reads of patients ---------------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            audit.record_read("admin.user.list", patients=_patients_of(changelist.result_list))
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = self.get_object(request, object_id)
        if obj is not None and request.method == "GET":
            audit.record_read("admin.user.view", patients=_patients_of([obj]), obj=obj)
        return response


def _patients_of(users) -> list:
    """The patient ids behind the patient accounts shown (through the reverse one-to-one, so
    accounts does not import the patients app)."""
    ids = [user.pk for user in users if user.role == Role.PATIENT]
    if not ids:
        return []
    rows = User.objects.filter(pk__in=ids, patient_profile__isnull=False)
    return list(rows.values_list("patient_profile__uuid", flat=True))
