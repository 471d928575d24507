# Decision 0041: the roll-ups' covering indexes no longer carry the counts an intake adds to
# (the day's and month's `received`, the map square's `n`, `lat_sum` and `lon_sum`), and the
# roll-up tables keep a fifth of each page free: every upsert of a case write then changes
# no indexed column and fits on its page, so PostgreSQL makes it a HOT update — no new entry
# in any index, and the dead versions of a busy row pruned as the page is read instead of
# piling up until VACUUM. On PostgreSQL each index is rebuilt CONCURRENTLY under a temporary
# name, then swapped (intake goes on), hence outside a transaction.

from django.db import migrations, models

TABLES = ["cases_caserollup", "cases_casemonthrollup", "cases_caseduerollup", "cases_casebinrollup"]
FILLFACTOR = 80

# (model, index name, its columns before, its columns after)
INDEXES = [
    (
        "casebinrollup",
        "case_bin_region_day",
        '("region_id", "day") INCLUDE ("i", "j", "n", "lat_sum", "lon_sum", "category_id")',
        '("region_id", "day")',
    ),
    (
        "casemonthrollup",
        "case_month_trend",
        '("month", "region_id") INCLUDE ("received")',
        '("month", "region_id")',
    ),
    (
        "caserollup",
        "case_rollup_region_day",
        '("region_id", "day") INCLUDE ("received")',
        '("region_id", "day")',
    ),
]


def _rebuild(schema_editor, forwards: bool) -> None:
    for model, name, before, after in INDEXES:
        table = f"cases_{model}"
        columns = after if forwards else before
        schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{name}_new"')
        schema_editor.execute(f'CREATE INDEX CONCURRENTLY "{name}_new" ON "{table}" {columns}')
        schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{name}"')
        schema_editor.execute(f'ALTER INDEX "{name}_new" RENAME TO "{name}"')
    for table in TABLES:
        fill = f"fillfactor = {FILLFACTOR}" if forwards else "fillfactor"
        verb = "SET" if forwards else "RESET"
        schema_editor.execute(f'ALTER TABLE "{table}" {verb} ({fill})')


# Elsewhere (SQLite) an index has no INCLUDE and a table no fillfactor: nothing changes.


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _rebuild(schema_editor, forwards=True)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _rebuild(schema_editor, forwards=False)


NEW = {
    "casebinrollup": models.Index(fields=["region", "day"], name="case_bin_region_day"),
    "casemonthrollup": models.Index(fields=["month", "region"], name="case_month_trend"),
    "caserollup": models.Index(fields=["region", "day"], name="case_rollup_region_day"),
}


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0025_drop_like_twins"),
        ("regions", "0003_base_features"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                *(migrations.RemoveIndex(model_name=m, name=n) for m, n, _b, _a in INDEXES),
                *(migrations.AddIndex(model_name=m, index=NEW[m]) for m, *_ in INDEXES),
            ],
            database_operations=[migrations.RunPython(forwards, backwards)],
        )
    ]
