from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from clinic_portal.accounts.forms import AdminUserChangeForm, AdminUserCreationForm
from clinic_portal.accounts.models import User
from clinic_portal.accounts.services import end_sessions


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
        ("Person", {"fields": ["full_name", "role"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    actions = ["end_all_sessions"]

    @admin.action(description="Log the selected users out everywhere")
    def end_all_sessions(self, request, queryset):
        ended = sum(end_sessions(user=user, actor=request.user) for user in queryset)
        self.message_user(request, f"Ended {ended} session(s).")

    add_fieldsets = [
        (None, {"fields": ["email", "full_name", "role", "password1", "password2"]}),
    ]
