"""Make the database itself refuse to change audit events.

PostgreSQL: no UPDATE ever; DELETE only of rows older than the retention minimum (the purge).
SQLite: no UPDATE ever. (DELETE is guarded in the application only, because SQLite's
test flush deletes rows one statement at a time and a trigger would stop it.)
"""

from django.db import migrations

from genxi.core.migrations._audit_guard import (  # noqa: E402
    PG_BACKWARD,
    PG_FORWARD,
    SQLITE_BACKWARD,
    SQLITE_FORWARD,
)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]

    operations = [migrations.RunPython(forward, backward)]
