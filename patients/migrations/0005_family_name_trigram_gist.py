"""A GiST trigram index on the family name, so a search can rank its matches by closeness of
name and stop after the first ones (``selectors.first_matches``) instead of reading every match.
The GIN indexes of 0003 find matches; only GiST can return them nearest first. PostgreSQL only.
"""

from django.db import migrations

NAME = "patient_family_name_trgm_gist_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON patients_patient "
            'USING gist ((UPPER("family_name"::text)) gist_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("patients", "0004_patient_no_known_allergies")]

    operations = [migrations.RunPython(create, drop)]
