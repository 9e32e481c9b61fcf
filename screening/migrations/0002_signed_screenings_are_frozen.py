"""On PostgreSQL the database refuses to change or delete a signed screening, or the review
acknowledgements it was signed with, whatever path the change comes by (admin, shell, a bug)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION screening_refuse_signed_change() RETURNS trigger AS $$
BEGIN
    IF OLD.signed_at IS NOT NULL THEN
        RAISE EXCEPTION 'screening % is signed and frozen: % refused', OLD.uuid, TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER screening_signed_frozen
    BEFORE UPDATE OR DELETE ON screening_screening
    FOR EACH ROW EXECUTE FUNCTION screening_refuse_signed_change();

CREATE OR REPLACE FUNCTION screening_refuse_ack_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'review acknowledgements are never edited';
    END IF;
    IF EXISTS (SELECT 1 FROM screening_screening s
               WHERE s.id = OLD.screening_id AND s.signed_at IS NOT NULL) THEN
        RAISE EXCEPTION 'acknowledgements of a signed screening are frozen: DELETE refused';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER screening_ack_frozen
    BEFORE UPDATE OR DELETE ON screening_reviewacknowledgement
    FOR EACH ROW EXECUTE FUNCTION screening_refuse_ack_change();
"""

DROP = """
DROP TRIGGER IF EXISTS screening_signed_frozen ON screening_screening;
DROP FUNCTION IF EXISTS screening_refuse_signed_change();
DROP TRIGGER IF EXISTS screening_ack_frozen ON screening_reviewacknowledgement;
DROP FUNCTION IF EXISTS screening_refuse_ack_change();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
