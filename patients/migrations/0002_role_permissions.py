from django.db import migrations

from clinic_portal.accounts.group_permissions import sync_role_groups


class Migration(migrations.Migration):
    dependencies = [("patients", "0001_initial"), ("accounts", "0002_role_groups")]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
