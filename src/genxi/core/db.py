"""Database helpers the services share."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

import dj_database_url
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import (
    DEFAULT_DB_ALIAS,
    IntegrityError,
    ProgrammingError,
    connections,
    router,
    transaction,
)
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import CharField, Field, Model, TextField
from django.db.models.sql import InsertQuery

from .models import AuditEvent, AuditSeal


def insert_together(*objs: Model) -> None:
    """Insert new rows whose primary keys nobody reads back — a case's history entry and
    its audit event — in one statement where the database allows it (PostgreSQL: one
    data-modifying CTE per row), else one by one. Call it inside the write's transaction.

    It saves the ORM's per-row overhead and a round trip on the intake's hot path; the rows
    get the same defaults and `auto_now_add` values as `save()` would give them.
    """
    if not objs:
        return
    using = router.db_for_write(type(objs[0]))
    connection = connections[using]
    statements = [_insert_sql(obj, using) for obj in objs]
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(statements) > 1:
            sql = "WITH " + ", ".join(f"w{i} AS ({s})" for i, (s, _) in enumerate(statements))
            cursor.execute(f"{sql} SELECT 1", [p for _, params in statements for p in params])
        else:
            for sql, params in statements:
                cursor.execute(sql, params)


Statement = tuple[str, "list[Any]"]
ID = "id"  # the automatic primary key's column of a parent (insert_with_children)


# The INSERT text of one row of a model, by (model, database, with its primary key): it
# follows from the model's definition alone, never from data, so a process compiles it once
# (the ORM's compile was a tenth of an intake's Python time) and only the values are
# prepared per row, by the same field methods the ORM's compiler calls.
_insert_texts: dict[tuple[type[Model], str, bool], str] = {}


def _insert_sql(obj: Model, using: str) -> Statement:
    """`INSERT INTO … (…) VALUES (%s, …)` of `obj` as a new row, and its values."""
    model = type(obj)
    with_pk = obj.pk is not None
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    connection = connections[using]
    values = [f.pre_save(obj, True) for f in fields]  # auto_now_add fills its field here
    key = (model, using, with_pk)
    text = _insert_texts.get(key)
    plain = not any(
        hasattr(v, "resolve_expression") or hasattr(f, "get_placeholder")
        for f, v in zip(fields, values, strict=True)
    )
    if text is None or not plain:  # compile it (an expression's or a placeholder's SQL varies)
        query = InsertQuery(model)
        query.insert_values(fields, [obj])
        [(sql, params)] = query.get_compiler(using=using).as_sql()
        if plain:
            _insert_texts[key] = sql
        return sql, list(params)
    prepared = [
        f.get_db_prep_save(v, connection=connection) for f, v in zip(fields, values, strict=True)
    ]
    return text, prepared


def _concrete(model: type[Model], name: str) -> Field:
    field = model._meta.get_field(name)
    assert isinstance(field, Field)  # a column of the model, not a reverse relation
    return field


def _referring(sql: str, params: list[Any], column: str, parent: str, as_text: bool):
    """`INSERT … VALUES (…)` rewritten as `INSERT … SELECT …` taking `column`'s value from
    the parent's RETURNING row; None when the statement is not of that plain shape."""
    head, sep, values = sql.partition(" VALUES (")
    if not sep or "(" not in head or not values.endswith(")"):
        return None
    columns = head[head.index("(") + 1 : head.rindex(")")].split(", ")
    holders = values.removesuffix(")").split(", ")
    if len(holders) != len(params) or len(columns) != len(holders):
        return None
    if any(h != "%s" for h in holders) or column not in columns:
        return None
    k = columns.index(column)
    holders[k] = f"(SELECT {ID}{'::text' if as_text else ''} FROM {parent})"
    return f"{head} SELECT {', '.join(holders)}", params[:k] + params[k + 1 :]


def insert_with_children(
    parent: Model,
    children: list[tuple[Model, str]],
    extra: list[Statement] | None = None,
) -> None:
    """Insert a new row with an automatic id, the new rows that refer to it (each with the
    name of its field taking the parent's id; a text field takes it as text) and `extra`
    statements (an upsert of roll-ups), in one statement on PostgreSQL (data-modifying
    CTEs reading the parent's RETURNING row): one round trip where the ORM makes one per
    row. Elsewhere, or for a shape it does not know, the same rows one by one. The objects
    end as `save()` leaves them (ids set). Call it inside the write's transaction, or
    inside `atomic_unless_one(True, …)` when it is the write's only statement."""
    using = router.db_for_write(type(parent))
    connection = connections[using]
    extra = list(extra or [])
    parts: list[Statement] = []
    if connection.vendor == "postgresql":
        head, params = _insert_sql(parent, using)
        pk = type(parent)._meta.pk
        assert pk is not None and pk.column == ID  # the RETURNING row's column, read below
        parts.append((f"{head} RETURNING {ID}", params))
        for child, name in children:
            field = _concrete(type(child), name)
            sql, params = _insert_sql(child, using)
            column = connection.ops.quote_name(str(field.column))
            rewritten = _referring(sql, params, column, "p", _takes_text(field))
            if rewritten is None:
                parts = []
                break
            parts.append(rewritten)
    if not parts:
        # Several statements: a transaction of their own where the caller opened none
        # (`atomic_unless_one` trusted this write to be one statement), none more inside
        # the caller's (no savepoint).
        with transaction.atomic(using=using, savepoint=False):
            parent.save(force_insert=True, using=using)
            for child, name in children:
                field = _concrete(type(child), name)
                setattr(child, field.attname, str(parent.pk) if _takes_text(field) else parent.pk)
            insert_together(*(child for child, _ in children))
            with connections[using].cursor() as cursor:
                for sql, params in extra:
                    cursor.execute(sql, params)
        return
    names = ["p", *(f"c{i}" for i in range(len(children))), *(f"x{i}" for i in range(len(extra)))]
    statements = [*parts, *extra]
    sql = "WITH " + ", ".join(f"{n} AS ({s})" for n, (s, _) in zip(names, statements, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} SELECT {ID} FROM p", [p for _, ps in statements for p in ps])
        (new_id,) = cursor.fetchone()
    parent.pk = new_id
    for obj in [parent, *(child for child, _ in children)]:
        obj._state.adding = False
        obj._state.db = using
    for child, name in children:
        field = _concrete(type(child), name)
        setattr(child, field.attname, str(new_id) if _takes_text(field) else new_id)


def _takes_text(field: Field) -> bool:
    """A child's field that names its parent as text (an audit event's `target_id`), not
    as a number (a foreign key, a generic relation's `subject_id`)."""
    return not field.is_relation and isinstance(field, CharField | TextField)


def atomic_unless_one(one_statement: bool, model: type[Model]) -> AbstractContextManager[Any]:
    """The transaction around a write to `model`'s database: none when the write is one
    statement on PostgreSQL (`insert_with_children` with nothing after it), which is
    atomic by itself — BEGIN and COMMIT would add two round trips, and the row locks it
    takes (a busy roll-up's) would last while Python runs between them; else Django's
    `atomic` (SQLite, where that insert makes several statements, or a write of more).
    Inside an outer transaction it changes nothing: that one holds the statement."""
    using = router.db_for_write(model)
    if one_statement and connections[using].vendor == "postgresql":
        return nullcontext()
    return transaction.atomic(using=using)


# A lost race is an answer, not a 500 --------------------------------------------------


@contextmanager
def unique_or_invalid(taken: Callable[[], bool], field: str, message: str) -> Iterator[None]:
    """Create a row whose value must be unique: refuse it, naming `field`, when `taken()`
    says the value is in use — before the block, and also when a writer running side by
    side took it first (the unique index then raises IntegrityError inside the block's
    savepoint; under READ COMMITTED `taken()` sees the winner's row). Any other integrity
    error goes up unchanged. Call it inside the write's transaction.
    """
    if taken():
        raise ValidationError({field: message})
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        if taken():
            raise ValidationError({field: message}) from None
        raise


def lock_value(namespace: str, value: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """Hold a lock on a value no unique index guards (a resident's ID number may be on two
    records, decision in security.md) until the transaction ends, so that check-then-create
    on it runs one at a time: a PostgreSQL transaction-level advisory lock on a 64-bit hash
    of (namespace, value). SQLite lets one writer at a time anyway: nothing to do there."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    if not connection.in_atomic_block:
        raise RuntimeError(
            "lock_value() holds its lock until the transaction ends: call it inside one"
        )
    digest = hashlib.blake2b(f"{namespace}\0{value}".encode(), digest_size=8).digest()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, "big", signed=True)]
        )


# Database roles (PostgreSQL) -------------------------------------------------------------


class DatabaseRoleError(Exception):
    """The app role cannot be made safe: it is privileged, owns objects, or is the owner."""


def use_owner_connection(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """Connect this process as the owner role (`DATABASE_MIGRATE_URL`) from now on; False if
    no owner URL is set (one role does everything). For migrate, db_roles and audit_purge."""
    url = settings.DATABASE_MIGRATE_URL
    if not url:
        return False
    owner = dj_database_url.parse(url)
    connection = connections[alias]
    app = connection.settings_dict
    if (owner["ENGINE"], owner["NAME"]) != (app["ENGINE"], app["NAME"]):
        raise ImproperlyConfigured("DATABASE_MIGRATE_URL must name the database of DATABASE_URL")
    connection.close()
    connection.settings_dict = {
        **app,
        "USER": owner["USER"],
        "PASSWORD": owner["PASSWORD"],
        "HOST": owner["HOST"],
        "PORT": owner["PORT"],
    }
    return True


def _audit_tables() -> list[str]:
    return [AuditEvent._meta.db_table, AuditSeal._meta.db_table]


def grant_app_role(role: str, *, password: str = "", using: str = DEFAULT_DB_ALIAS) -> None:
    """Create the app role if it is missing and give it exactly what the app needs in this
    database's schema: SELECT, INSERT, UPDATE and DELETE on every table, but only SELECT
    and INSERT on the audit log and its seals and only SELECT on django_migrations; USAGE
    on the sequences. No TRUNCATE, no TRIGGER, no DDL, ownership of nothing. Idempotent:
    it revokes first, so run it after every migrate (`genxi migrate` does) and tables that
    a migration added are covered. Run it as the owner."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise ImproperlyConfigured("database roles are for PostgreSQL")
    q = connection.ops.quote_name
    r = q(role)
    audit_tables = ", ".join(q(t) for t in _audit_tables())
    migrations_table = q(MigrationRecorder.Migration._meta.db_table)
    with transaction.atomic(using), connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_schema()")
        owner, schema = cursor.fetchone()
        if role == owner:
            raise DatabaseRoleError(
                f"connected as the app role {role} itself: connect as the owner "
                "(DATABASE_MIGRATE_URL), another role than the app's"
            )
        cursor.execute(
            "SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls OR rolreplication,"
            " (SELECT count(*) FROM pg_class WHERE relowner = r.oid)"
            " + (SELECT count(*) FROM pg_namespace WHERE nspowner = r.oid)"
            " + (SELECT count(*) FROM pg_proc WHERE proowner = r.oid)"
            " + (SELECT count(*) FROM pg_database"
            "    WHERE datdba = r.oid AND datname = current_database())"
            " FROM pg_roles r WHERE rolname = %s",
            [role],
        )
        row = cursor.fetchone()
        if row is None:
            try:
                with transaction.atomic(using):
                    if password:
                        cursor.execute(f"CREATE ROLE {r} LOGIN PASSWORD %s", [password])
                    else:
                        cursor.execute(f"CREATE ROLE {r} LOGIN")
            except (IntegrityError, ProgrammingError):
                pass  # another process created it meanwhile; the checks below still run
        elif row[0]:
            raise DatabaseRoleError(
                f"the app role {role} may not be a superuser nor create roles or databases"
            )
        elif row[1]:
            raise DatabaseRoleError(
                f"the app role {role} owns objects in this database: "
                f"REASSIGN OWNED BY {r} TO {q(owner)}"
            )
        s = q(schema)
        for sql in (
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {r}",
            f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {s} FROM {r}",
            f"REVOKE CREATE ON SCHEMA {s} FROM PUBLIC",  # PostgreSQL < 15 grants it
            f"REVOKE CREATE ON DATABASE {q(connection.settings_dict['NAME'])} FROM {r}",
            f"GRANT USAGE ON SCHEMA {s} TO {r}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {r}",
            f"REVOKE UPDATE, DELETE ON {audit_tables} FROM {r}",
            f"REVOKE INSERT, UPDATE, DELETE ON {migrations_table} FROM {r}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {r}",
        ):
            cursor.execute(sql)
        too_much = [
            f"{privilege} on {table}"
            for table in _audit_tables()
            for privilege in ("UPDATE", "DELETE", "TRUNCATE", "TRIGGER", "REFERENCES")
            if _has(cursor, "has_table_privilege(%s, %s, %s)", role, f"{s}.{q(table)}", privilege)
        ]
        if _has(cursor, "has_schema_privilege(%s, %s, 'CREATE')", role, schema):
            too_much.append(f"CREATE on schema {schema}")
        if too_much:  # inherited from another role, or granted to PUBLIC by someone
            raise DatabaseRoleError(f"the app role {role} still has " + ", ".join(too_much))


def _has(cursor, expression: str, *params: str) -> bool:
    cursor.execute(f"SELECT {expression}", params)
    return bool(cursor.fetchone()[0])
