"""``make check``: warn when the role the portal runs as owns the audit table.

The owner of a table may disable its triggers or drop it, so the append-only guarantee holds only
when web and worker processes connect as a separate role (docs/security.md, "Two database
roles"). Runs with ``manage.py check --database default``.
"""

from __future__ import annotations

from django.core.checks import Tags, Warning, register
from django.db import connections


@register(Tags.database)
def runtime_role_does_not_own_the_audit_log(app_configs=None, databases=None, **kwargs):
    warnings = []
    for alias in databases or []:
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tableowner = current_user FROM pg_tables "
                "WHERE schemaname = current_schema() AND tablename = 'audit_auditevent'"
            )
            row = cursor.fetchone()
        if row and row[0]:
            warnings.append(
                Warning(
                    "The database role the portal runs as owns the audit table, so it could "
                    "disable the table's append-only triggers.",
                    hint="Run migrations as the owner role and web and workers as a separate "
                    "role: manage.py grant_runtime_role <role> (docs/security.md).",
                    id="audit.W001",
                )
            )
    return warnings
