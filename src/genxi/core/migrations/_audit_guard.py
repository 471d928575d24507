"""The audit log's guard triggers (migrations 0003, 0004 and 0005 use them)."""

PG_FORWARD = """
CREATE OR REPLACE FUNCTION genxi_audit_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    RAISE EXCEPTION 'audit events cannot be changed';
  END IF;
  IF OLD.created_at > now() - interval '184 days' THEN
    RAISE EXCEPTION 'audit events younger than 184 days cannot be deleted';
  END IF;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditevent_guard BEFORE UPDATE OR DELETE ON core_auditevent
  FOR EACH ROW EXECUTE FUNCTION genxi_audit_guard();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS core_auditevent_guard ON core_auditevent;
DROP FUNCTION IF EXISTS genxi_audit_guard();
"""
SQLITE_FORWARD = """
CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events cannot be changed'); END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS core_auditevent_no_update;"

# Migration 0005: the database sets an event's time, and guards the hash chain's seals.
PG_CHAIN_FORWARD = """
CREATE OR REPLACE FUNCTION genxi_audit_time() RETURNS trigger AS $$
BEGIN
  NEW.created_at := statement_timestamp();
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditevent_time BEFORE INSERT ON core_auditevent
  FOR EACH ROW EXECUTE FUNCTION genxi_audit_time();
CREATE OR REPLACE FUNCTION genxi_audit_seal_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    RAISE EXCEPTION 'audit seals cannot be changed';
  END IF;
  IF OLD.event_time > now() - interval '184 days' THEN
    RAISE EXCEPTION 'audit seals younger than 184 days cannot be deleted';
  END IF;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditseal_guard BEFORE UPDATE OR DELETE ON core_auditseal
  FOR EACH ROW EXECUTE FUNCTION genxi_audit_seal_guard();
"""
PG_CHAIN_BACKWARD = """
DROP TRIGGER IF EXISTS core_auditevent_time ON core_auditevent;
DROP FUNCTION IF EXISTS genxi_audit_time();
DROP TRIGGER IF EXISTS core_auditseal_guard ON core_auditseal;
DROP FUNCTION IF EXISTS genxi_audit_seal_guard();
"""
# SQLite cannot change the row being inserted: it refuses a time more than a minute from
# its own clock (the application's clock: SQLite runs in the same process).
SQLITE_TIME = """
CREATE TRIGGER IF NOT EXISTS core_auditevent_time BEFORE INSERT ON core_auditevent
WHEN julianday(NEW.created_at) IS NULL
  OR abs(julianday(NEW.created_at) - julianday('now')) * 86400 > 60
BEGIN SELECT RAISE(ABORT, 'an audit event''s time is the current time'); END;
"""
SQLITE_SEAL_GUARD = """
CREATE TRIGGER IF NOT EXISTS core_auditseal_no_update BEFORE UPDATE ON core_auditseal
BEGIN SELECT RAISE(ABORT, 'audit seals cannot be changed'); END;
"""
SQLITE_CHAIN_BACKWARD = """
DROP TRIGGER IF EXISTS core_auditevent_time;
DROP TRIGGER IF EXISTS core_auditseal_no_update;
"""


SQLITE_TRIGGERS = (
    SQLITE_FORWARD.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS"),
    SQLITE_TIME,
    SQLITE_SEAL_GUARD,
)


def restore_sqlite_triggers(schema_editor) -> None:
    """Every SQLite trigger of the audit tables (a migration that rebuilds one calls this)."""
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_TRIGGERS:
            schema_editor.execute(sql)
