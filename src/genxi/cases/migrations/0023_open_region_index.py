# A place's open cases by when they were received (decision 0039): the queues of open cases
# read the scope's open rows from this partial index and sort them, instead of walking the
# order index through the whole table. On PostgreSQL it is built CONCURRENTLY (intake goes
# on during the build), hence a migration outside a transaction; elsewhere as usual.
# At 10 M cases the build reads the table once (measured on 2 M: docs/benchmarks.md).

from django.db import migrations, models

INDEX = models.Index(
    condition=models.Q(
        ("state__in", ["accepted", "dispatched", "in_progress", "resolved", "submitted", "verified"])
    ),
    fields=["region", "created_at"],
    name="case_open_region",
)


def create(apps, schema_editor):
    model = apps.get_model("cases", "Case")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(model, INDEX, concurrently=True)
    else:
        schema_editor.add_index(model, INDEX)


def drop(apps, schema_editor):
    model = apps.get_model("cases", "Case")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(model, INDEX, concurrently=True)
    else:
        schema_editor.remove_index(model, INDEX)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("cases", "0022_bin_rollups")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="case", index=INDEX)],
            database_operations=[migrations.RunPython(create, drop)],
        ),
    ]
