# Text search of the queues by trigrams (decision 0032), on PostgreSQL only: the extension
# pg_trgm and a GIN trigram index on UPPER(title) and on UPPER(text), the expressions that
# `icontains` compares (`UPPER(col::text) LIKE UPPER('%…%')`), so that it uses them.
# SQLite: nothing (its `icontains` scans, as before).
#
# CREATE EXTENSION needs the database's owner (PostgreSQL 13+: pg_trgm is a trusted
# extension, which the owner of the database may create) or a superuser: run migrations
# with the owner's URL (DATABASE_MIGRATE_URL, docs/deploy.md). The indexes are built
# CONCURRENTLY (writes go on during the build), hence a migration outside a transaction.
# They are not in the model's Meta: Django would build them on SQLite too. Then ANALYZE.

from django.db import migrations

INDEXES = {
    "case_title_trgm": 'UPPER("title"::text)',
    "case_text_trgm": 'UPPER("text")',
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON cases_case "
            f"USING gin (({expression}) gin_trgm_ops)"
        )
    # The statistics of the indexed expressions (and of 0016's): without them the planner
    # guessed that a phrase matches a hundred cases, read all 995,168 that matched it at
    # 1,000,000 cases through the trigram indexes and sorted them (11 s for a page, measured
    # by bench/cases_queues.py) instead of walking the queue's index (10 ms).
    schema_editor.execute("ANALYZE cases_case")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("cases", "0016_search_queue_order")]

    # Backwards drops the indexes and keeps the extension (something else in the database
    # may use it; Django's TrigramExtension would also fail backwards on SQLite).
    operations = [migrations.RunPython(create, drop, elidable=False)]
