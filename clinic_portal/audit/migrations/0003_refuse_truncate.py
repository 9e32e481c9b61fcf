"""TRUNCATE is refused on the audit log too (break 9 of the security review).

A row trigger cannot see TRUNCATE, so a statement trigger does. The one way through is a session
that sets ``clinic_portal.audit_truncate = 'allow'`` first: the test suite's database has it as
its default (tests/conftest.py) so that test flushes work, and a restore into a scratch database
may set it. The runtime role of a deployment has no TRUNCATE privilege on the table anyway
(docs/security.md, "Two database roles"); this trigger stops the owner's own mistakes, such as a
``manage.py flush`` run against production.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
       AND current_setting('clinic_portal.audit_truncate', true) = 'allow' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit_auditevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
