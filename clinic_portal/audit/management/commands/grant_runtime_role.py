"""Give the runtime database role (web and worker processes) what it needs and no more.

Run it as the owner role after ``migrate``: ``manage.py grant_runtime_role clinic_runtime``.
The runtime role may read and write the portal's tables, but on the audit log only SELECT and
INSERT: it cannot update, delete, truncate, alter the table or disable its triggers, because it
does not own it. ``--print`` shows the statements instead of running them.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from clinic_portal.audit.models import AuditEvent
from clinic_portal.audit.partitions import partitioned


def grant_statements(role: str, tables: list[str], audit_partitioned: bool = False) -> list[str]:
    quote = connection.ops.quote_name
    audit = AuditEvent._meta.db_table
    statements = [f"GRANT USAGE ON SCHEMA public TO {quote(role)}"]
    for table in sorted(tables):
        if table == audit:
            statements.append(f"REVOKE ALL ON {quote(table)} FROM {quote(role)}")
            statements.append(f"GRANT SELECT, INSERT ON {quote(table)} TO {quote(role)}")
        elif table.startswith(f"{audit}_"):
            # A monthly partition (migration 0004): reached only through the parent table,
            # whose privileges apply; nothing directly.
            statements.append(f"REVOKE ALL ON {quote(table)} FROM {quote(role)}")
        else:
            statements.append(
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON {quote(table)} TO {quote(role)}"
            )
    statements.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quote(role)}")
    if audit_partitioned:
        # The housekeeping task creates next months' partitions through this SECURITY DEFINER
        # function, since the runtime role cannot create them on a table it does not own.
        statements.append(
            f"GRANT EXECUTE ON FUNCTION audit_create_month_partition(date) TO {quote(role)}"
        )
    return statements


class Command(BaseCommand):
    help = (
        "Grant the runtime role DML on the portal's tables and only SELECT/INSERT on the audit log."
    )

    def add_arguments(self, parser):
        parser.add_argument("role")
        parser.add_argument("--print", action="store_true", help="print, do not run")

    def handle(self, *args, role: str, print: bool = False, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Separate database roles are a PostgreSQL deployment.")
        statements = grant_statements(
            role, connection.introspection.table_names(), audit_partitioned=partitioned()
        )
        if print:
            self.stdout.write(";\n".join(statements) + ";")
            return
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(f"Granted {role} the runtime privileges ({len(statements)} statements).")
