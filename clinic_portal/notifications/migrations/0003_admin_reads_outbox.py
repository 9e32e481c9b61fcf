"""Role groups after the security review: clinic administrators may read the outbox (without
bodies) and no longer read patient version snapshots, which hold the clinical fields.

The table and the sync below are a frozen copy of ``clinic_portal.accounts.group_permissions``
as it stood when this migration was written: notifications sits below accounts, and a
migration replays history, so it keeps its own copy rather than import today's table.
"""

from django.db import migrations

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
        "patients.view_patient",
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


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_outbox_next_attempt"),
        ("accounts", "0002_role_groups"),
        ("patients", "0003_name_search_trigram_indexes"),
        ("audit", "0003_refuse_truncate"),
    ]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
