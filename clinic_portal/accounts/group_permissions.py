"""Which Django permissions each role's group carries (used by the admin site and by migrations).

Day-to-day access in the portal is decided by role and by ``patients.access``; these groups make
the admin site honest about the same split. Data migrations call ``sync_role_groups`` whenever an
app adds models, so the groups always match this table. An app below accounts (notifications)
may not import it: its migration keeps a frozen copy of the table and the sync instead.
"""

from __future__ import annotations

ROLE_PERMISSIONS: dict[str, list[str]] = {
    "Clinicians": [
        "patients.view_patient",
        "patients.add_patient",
        "patients.change_patient",
    ],
    "Nurses": [
        "patients.view_patient",
    ],
    "Patients": [],
    "Clinic administrators": [
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "audit.view_auditevent",
        # Identity and contact only: clinical fields are hidden from them (patients/admin.py),
        # and version snapshots, which hold the clinical fields, are not theirs to read.
        "patients.view_patient",
        # The outbox, read-only and without bodies, to see failed emails.
        "notifications.view_outboundemail",
    ],
}


def sync_role_groups(apps, schema_editor) -> None:
    """Create the role groups and give each exactly the permissions listed above that exist."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for group_name, dotted in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=group_name)
        wanted = []
        for name in dotted:
            app_label, codename = name.split(".")
            wanted.extend(
                permission_model.objects.filter(
                    content_type__app_label=app_label, codename=codename
                )
            )
        group.permissions.set(wanted)
