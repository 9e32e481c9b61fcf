"""Role groups after the security review: clinic administrators may read the outbox (without
bodies) and no longer read patient version snapshots, which hold the clinical fields."""

from django.db import migrations

from clinic_portal.accounts.group_permissions import sync_role_groups


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_outbox_next_attempt"),
        ("accounts", "0002_role_groups"),
        ("patients", "0003_name_search_trigram_indexes"),
        ("audit", "0003_refuse_truncate"),
    ]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
