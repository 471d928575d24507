"""Tests on PostgreSQL run as the app's database role, as production does (docs/deploy.md).

pytest-django creates and migrates the test database as the owner (the superuser of the
test cluster). The session fixture `app_db_role` then gives the cluster-wide role
`genxi_test_app` the app role's rights in that database (core.db.grant_app_role, as
`genxi migrate` does in a deployment), and `_as_app_role` switches every test that runs
inside a transaction to it with `SET LOCAL ROLE`: the test's queries, the app's included,
have the app role's rights only. Transactional and live-server tests run as the owner
(their flush truncates tables). `as_owner()` and `audit_guards_off()` step back to the
owner inside a test, for what only the owner (or an attacker with its rights) can do.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection

from genxi.core.db import grant_app_role
from genxi.core.migrations._audit_guard import SQLITE_TRIGGERS

APP_ROLE = "genxi_test_app"


@pytest.fixture(scope="session")
def app_db_role(django_db_setup, django_db_blocker) -> str | None:
    """The app role's name on PostgreSQL, with its rights granted in the test database."""
    if connection.vendor != "postgresql":
        return None

    with django_db_blocker.unblock():
        grant_app_role(APP_ROLE)
    return APP_ROLE


@pytest.fixture(scope="session", autouse=True)
def _app_role_first(request) -> None:
    """Grant the app role before any test opens its transaction (PostgreSQL).

    Asked for lazily, the grants would be made inside the first database test's
    transaction whenever that test asks for the database by its marker alone (pytest-django
    opens the transaction before `_as_app_role` runs), and its rollback would take them
    back for every later test in the session."""
    if connection.vendor == "postgresql":
        request.getfixturevalue("app_db_role")


@pytest.fixture(autouse=True)
def _as_app_role(request) -> Iterator[None]:
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    wants_db = marker is not None or "db" in names
    transactional = (
        "transactional_db" in names
        or "live_server" in names
        or (marker is not None and marker.kwargs.get("transaction"))
    )
    if not wants_db or transactional or connection.vendor != "postgresql":
        yield
        return
    role = request.getfixturevalue("app_db_role")
    request.getfixturevalue("_django_db_helper")
    if connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL ROLE {connection.ops.quote_name(role)}")
    yield


def current_role() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user" if connection.vendor == "postgresql" else "SELECT ''")
        return cursor.fetchone()[0]


@contextmanager
def as_owner() -> Iterator[None]:
    """Run the block as the owner (the session's role) on PostgreSQL, then switch back."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, session_user")
        current, session = cursor.fetchone()
        if current != session:
            cursor.execute("RESET ROLE")
        try:
            yield
        finally:
            if current != session:
                cursor.execute(f"SET LOCAL ROLE {connection.ops.quote_name(current)}")


@contextmanager
def audit_guards_off() -> Iterator[None]:
    """As the owner, with the audit tables' triggers off: back-dated events, rewritten or
    deleted rows — what the owner's rights (or the file, on SQLite) make possible."""
    tables = ("core_auditevent", "core_auditseal")
    with as_owner(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE waits for no deferred foreign-key check: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (%s, %s)",
                tables,
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER {name}")
        try:
            yield
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for table in tables:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            else:
                for sql in SQLITE_TRIGGERS:
                    cursor.execute(sql)
