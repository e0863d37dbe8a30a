"""The database itself refuses to change or remove an audit entry (SQLite and PostgreSQL triggers). The one
update allowed is the insert's own: filling entry_hash, which depends on the new row's id, from 'pending'."""

from django.db import migrations

TABLE = "safeguard_web_auditentry"
CHANGED = ("NEW.id <> OLD.id OR NEW.at <> OLD.at OR NEW.actor <> OLD.actor OR NEW.action <> OLD.action "
           "OR NEW.payload_hash <> OLD.payload_hash OR NEW.prev_hash <> OLD.prev_hash "
           "OR NEW.case_ref IS {not_same} OLD.case_ref OR OLD.entry_hash <> 'pending'")

SQLITE = [
    f"CREATE TRIGGER audit_no_update BEFORE UPDATE ON {TABLE} WHEN {CHANGED.format(not_same='NOT')} "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    f"CREATE TRIGGER audit_no_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_no_update", "DROP TRIGGER IF EXISTS audit_no_delete"]

POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION safeguard_audit_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE' AND NOT ({CHANGED.format(not_same='DISTINCT FROM')}) THEN RETURN NEW; END IF;
      RAISE EXCEPTION 'the audit log is append-only';
    END $$""",
    f"CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON {TABLE} FOR EACH ROW EXECUTE FUNCTION safeguard_audit_guard()",
    f"CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {TABLE} FOR EACH STATEMENT EXECUTE FUNCTION safeguard_audit_guard()",
]
POSTGRES_DROP = [f"DROP TRIGGER IF EXISTS audit_append_only ON {TABLE}", f"DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE}",
                 "DROP FUNCTION IF EXISTS safeguard_audit_guard()"]


def _run(statements_by_vendor):
    def go(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)
    return go


class Migration(migrations.Migration):
    dependencies = [("safeguard_web", "0001_initial")]
    operations = [migrations.RunPython(_run({"sqlite": SQLITE, "postgresql": POSTGRES}),
                                       _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}))]
