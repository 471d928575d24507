"""The app's database role (PostgreSQL): it may add to and read the audit log and nothing
more — no TRUNCATE, no disabling the guard, no UPDATE or DELETE, no back-dated event —
while the rest of the app works (these tests, like the whole suite, run as that role)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from genxi.core import audit, audit_chain
from genxi.core.db import DatabaseRoleError, grant_app_role
from genxi.core.models import AuditEvent, AuditSeal
from genxi.core.testing.dbrole import APP_ROLE, as_owner, current_role

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg(world):
    if connection.vendor != "postgresql":
        pytest.skip("database roles are PostgreSQL's")
    return world


def _refused(sql, params=()):
    with pytest.raises(DatabaseError) as caught, transaction.atomic(), connection.cursor() as c:
        c.execute(sql, params)
    return str(caught.value)


def test_the_app_role_may_only_insert_and_select_the_audit_log(pg):
    assert current_role() == APP_ROLE  # the suite's tests run as the app's role
    event = audit.record(actor=pg.users["street"], verb="test.event")  # INSERT works
    audit_chain.seal()  # and so does sealing (INSERT into the seals)
    assert AuditEvent.objects.filter(pk=event.pk).exists()  # SELECT works
    for table in ("core_auditevent", "core_auditseal"):
        assert "permission denied" in _refused(f"TRUNCATE {table}")
        assert "must be owner" in _refused(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        assert "permission denied" in _refused(f"DELETE FROM {table}")
    assert "permission denied" in _refused("UPDATE core_auditevent SET verb = 'x'")
    assert "permission denied" in _refused("UPDATE core_auditseal SET hash = 'x'")
    assert "permission denied" in _refused("CREATE TABLE genxi_mine (id int)")
    assert "must be owner" in _refused("DROP TABLE core_auditevent")
    long_ago = timezone.now() - timedelta(days=400)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_auditevent (created_at, actor_label, verb, target_id,"
            " target_label, reason) VALUES (%s, 'x', 'test.backdated', '', '', '')"
            " RETURNING created_at",
            [long_ago],
        )
        stored = cursor.fetchone()[0]
    assert abs(stored - timezone.now()) < timedelta(minutes=1)  # the database's time
    assert AuditEvent.objects.filter(pk=event.pk, verb="test.event").exists()
    assert AuditSeal.objects.filter(event_id=event.pk).exists()


def test_the_app_role_keeps_its_other_rights(pg):
    """Business tables: the DML the app needs, no TRUNCATE."""
    from genxi.people.models import Resident

    table = Resident._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET name = name WHERE false")  # allowed, no rows
        cursor.execute(f"DELETE FROM {table} WHERE false")
    assert "permission denied" in _refused(f"TRUNCATE {table}")
    assert "permission denied" in _refused("DELETE FROM django_migrations")


def test_granting_is_idempotent_and_refuses_a_privileged_role(pg):
    with as_owner():
        grant_app_role(APP_ROLE)
        grant_app_role(APP_ROLE)
        out = StringIO()
        call_command("db_roles", app_role=APP_ROLE, stdout=out)
        assert APP_ROLE in out.getvalue()
        with pytest.raises(DatabaseRoleError, match="owner"):
            grant_app_role(current_role())
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = 'genxi_test_creator'")
            if not cursor.fetchone():
                cursor.execute("CREATE ROLE genxi_test_creator CREATEDB")
        with pytest.raises(CommandError, match="may not be a superuser"):
            call_command("db_roles", app_role="genxi_test_creator")
    assert "permission denied" in _refused("TRUNCATE core_auditevent")
