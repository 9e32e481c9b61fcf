"""Break 2: a clinic administrator cannot raise anyone's power or set passwords in the admin
site, and every change to an account is audited with before and after."""

from django.urls import reverse

from clinic_portal.accounts.models import User
from clinic_portal.accounts.roles import Role
from clinic_portal.audit.models import AuditEvent


def _change_form(page):
    return next(form for form in page.forms.values() if "email" in form.fields)


def test_a_clinic_admin_cannot_make_themselves_superuser_or_clinician(office_admin, web_as):
    app = web_as(office_admin)
    page = app.get(reverse("admin:accounts_user_change", args=[office_admin.pk]))
    form = _change_form(page)
    for field in ("is_superuser", "is_staff", "role", "groups", "password"):
        assert field not in form.fields, field
    # A hand-made POST with the fields added is ignored: they are read-only for this user.
    form["full_name"] = "Olga Office-Smith"
    response = app.post(
        page.request.path,
        {
            **dict(form.submit_fields()),
            "is_superuser": "on",
            "role": Role.CLINICIAN,
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    office_admin.refresh_from_db()
    assert office_admin.full_name == "Olga Office-Smith"
    assert not office_admin.is_superuser
    assert office_admin.role == Role.ADMIN


def test_a_clinic_admin_cannot_set_passwords_or_add_accounts(office_admin, clinician, web_as):
    app = web_as(office_admin)
    app.get(reverse("admin:auth_user_password_change", args=[clinician.pk]), status=403)
    app.get(reverse("admin:accounts_user_add"), status=403)


def test_a_clinic_admin_cannot_edit_a_superuser(office_admin, clinic_admin, web_as):
    app = web_as(office_admin)
    page = app.get(reverse("admin:accounts_user_change", args=[clinic_admin.pk]))
    assert "email" not in _change_form_or_none(page)


def _change_form_or_none(page):
    for form in page.forms.values():
        if "email" in form.fields:
            return form.fields
    return {}


def test_every_change_to_a_user_is_audited_with_before_and_after(clinic_admin, nurse, web_as):
    app = web_as(clinic_admin)
    page = app.get(reverse("admin:accounts_user_change", args=[nurse.pk]))
    form = _change_form(page)
    form["role"] = Role.CLINICIAN
    form["is_staff"] = True
    form.submit("_save").follow()
    event = AuditEvent.objects.get(action="account.admin_change", object_id=str(nurse.pk))
    assert event.actor == clinic_admin
    assert event.detail["changes"]["role"] == {"before": "nurse", "after": "clinician"}
    assert event.detail["changes"]["is_staff"] == {"before": False, "after": True}


def test_a_password_set_by_a_superuser_is_audited(clinic_admin, nurse, web_as):
    app = web_as(clinic_admin)
    page = app.get(reverse("admin:auth_user_password_change", args=[nurse.pk]))
    form = next(f for f in page.forms.values() if "password1" in f.fields)
    form["password1"] = form["password2"] = "another long passphrase here"
    form.submit()
    assert AuditEvent.objects.filter(
        action="account.admin_password_set", object_id=str(nurse.pk), actor=clinic_admin
    ).exists()
    nurse.refresh_from_db()
    assert nurse.check_password("another long passphrase here")
    assert User.objects.get(pk=nurse.pk).role == Role.NURSE
