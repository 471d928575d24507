# Decision 0040: on PostgreSQL Django gives every indexed or unique text column a second,
# `varchar_pattern_ops` index, which serves only `LIKE 'abc%'`. No query asks these columns
# that way (a case's code, its secret's digest and its building are looked up whole; a
# roll-up by its key; an audit event by its verb), and each intake wrote all eight: the
# case's three, the four roll-ups' and the audit event's. Dropped CONCURRENTLY (intake goes
# on), hence outside a transaction; elsewhere there are none. Django drops these with
# `DROP INDEX IF EXISTS` when a later migration alters the column, so their absence is safe.

from django.db import migrations

FIELDS = [
    ("cases", "Case", "code"),
    ("cases", "Case", "secret_digest"),
    ("cases", "Case", "place_key"),
    ("cases", "CaseRollup", "key"),
    ("cases", "CaseMonthRollup", "key"),
    ("cases", "CaseDueRollup", "key"),
    ("cases", "CaseBinRollup", "key"),
    ("core", "AuditEvent", "verb"),
]


def _twins(apps, schema_editor):
    for app, model_name, field_name in FIELDS:
        model = apps.get_model(app, model_name)
        field = model._meta.get_field(field_name)
        table = model._meta.db_table
        yield model, field, schema_editor._create_index_name(table, [field.column], suffix="_like")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _model, _field, name in _twins(apps, schema_editor):
        schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{name}"')


def restore(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, field, _name in _twins(apps, schema_editor):
        sql = schema_editor._create_like_index_sql(model, field)
        if sql is not None:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0024_drop_state_indexes"),
        ("core", "0014_queue_delivery_claim_worker_beat"),
    ]

    operations = [migrations.RunPython(drop, restore)]
