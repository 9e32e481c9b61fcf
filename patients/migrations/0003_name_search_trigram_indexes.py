"""Trigram indexes for the patient search on PostgreSQL.

The search matches any part of a name (``icontains``: ``UPPER(name) LIKE UPPER('%word%')``)
and the start of a record number; a B-tree cannot serve either, so every search read the whole
table. ``pg_trgm`` GIN indexes on the same expressions can. ``pg_trgm`` is a trusted extension
(PostgreSQL 13+): the database's owner may create it; where the portal's role may not, a
superuser runs ``CREATE EXTENSION pg_trgm`` once and this migration finds it. SQLite (the
no-configuration default) keeps its table scan.
"""

from django.db import migrations

INDEXES = {
    "patient_given_name_trgm_idx": 'UPPER("given_name"::text)',
    "patient_family_name_trgm_idx": 'UPPER("family_name"::text)',
    "patient_mrn_trgm_idx": '"mrn"',
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON patients_patient "
            f"USING gin (({expression}) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("patients", "0002_role_permissions")]

    operations = [migrations.RunPython(create, drop)]
