"""Bulk loading on PostgreSQL: a table's secondary indexes and constraints set aside while
COPY fills it and built again after, and COPY FREEZE into a table emptied in the same
transaction (the rows are written frozen: no later VACUUM rewrites 10 M rows to set hint
bits). Raw SQL on purpose: the city loader is a bulk tool of its own (decision 0037)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management.base import CommandError


def referencing_tables(cursor: Any, table: str) -> list[str]:
    """The tables whose foreign keys reach `table`, directly or through others (what
    TRUNCATE … CASCADE would empty too)."""
    cursor.execute(
        """
        WITH RECURSIVE refs(rel) AS (
            SELECT %s::regclass
            UNION
            SELECT c.conrelid FROM pg_constraint c JOIN refs ON c.confrelid = refs.rel
            WHERE c.contype = 'f'
        )
        SELECT rel::regclass::text FROM refs
        """,
        [table],
    )
    return sorted({row[0] for row in cursor.fetchall()} - {table})


def truncate_empty(cursor: Any, table: str) -> None:
    """TRUNCATE `table` in the current transaction (so that COPY FREEZE may write into it),
    refusing unless it and every table a cascade would empty are empty already."""
    for name in [table, *referencing_tables(cursor, table)]:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {name})")  # noqa: S608 - catalog names
        if cursor.fetchone()[0]:
            raise CommandError(
                f"{name} holds rows: the city load fills an empty database (migrated, "
                "without the demo). Make a new database for it."
            )
    cursor.execute(f"TRUNCATE {table} CASCADE")


@contextmanager
def indexes_set_aside(cursor: Any, table: str, say: Any) -> Iterator[None]:
    """Drop `table`'s secondary indexes, unique and foreign-key constraints (not its
    primary key), run the block, then build them again, each timed."""
    cursor.execute(
        """
        SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint
        WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY contype DESC, conname
        """,
        [table],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        """
        SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        WHERE x.indrelid = %s::regclass AND NOT x.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid
                          AND c.conrelid = x.indrelid)
        ORDER BY i.relname
        """,
        [table],
    )
    indexes = cursor.fetchall()
    # The deferred checks of the rows written so far (the accounts), which would otherwise
    # forbid ALTER TABLE on the tables they reach.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for name, _definition, _kind in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    yield
    # Unique constraints and indexes first, then the foreign keys (each validated by one
    # join, not a trigger per row).
    for name, definition, kind in constraints:
        if kind == "u":
            with say.timed(f"  {table}: {name}"):
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for name, definition in indexes:
        with say.timed(f"  {table}: {name}"):
            cursor.execute(definition)
    for name, definition, kind in constraints:
        if kind == "f":
            with say.timed(f"  {table}: {name}"):
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def copy_lines(
    cursor: Any, table: str, columns: Iterable[str], chunks: Iterable[str], *, freeze: bool = True
) -> None:
    """COPY text-format chunks (lines of tab-separated fields) into `table`; FREEZE (the
    table was emptied by `truncate_empty` in this transaction) unless told not to."""
    names = ", ".join(columns)
    options = " WITH (FREEZE)" if freeze else ""
    with cursor.copy(f"COPY {table} ({names}) FROM STDIN{options}") as copy:
        for chunk in chunks:
            copy.write(chunk)
