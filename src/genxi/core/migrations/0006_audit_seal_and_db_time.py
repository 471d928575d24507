"""The audit log's hash chain (AuditSeal, core/audit_chain.py) and the database's own
clock for an event's time: PostgreSQL overwrites `created_at` with the statement's time,
SQLite refuses a time more than a minute from now. Seals are guarded like events."""

from django.db import migrations, models

from genxi.core.migrations._audit_guard import (
    PG_CHAIN_BACKWARD,
    PG_CHAIN_FORWARD,
    SQLITE_CHAIN_BACKWARD,
    restore_sqlite_triggers,
)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_CHAIN_FORWARD)
    restore_sqlite_triggers(schema_editor)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_CHAIN_BACKWARD)
    elif vendor == "sqlite":
        # SQLite's driver runs one statement per call.
        for statement in SQLITE_CHAIN_BACKWARD.split(";"):
            if statement.strip():
                schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0005_apitoken_expiry'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditSeal',
            fields=[
                ('seq', models.BigIntegerField(primary_key=True, serialize=False, verbose_name='链序号')),
                ('event_id', models.BigIntegerField(unique=True, verbose_name='审计事件')),
                ('event_time', models.DateTimeField(verbose_name='事件时间')),
                ('prev_hash', models.CharField(max_length=64, verbose_name='前一哈希')),
                ('hash', models.CharField(max_length=64, verbose_name='哈希')),
            ],
            options={
                'verbose_name': '审计链',
                'verbose_name_plural': '审计链',
                'ordering': ['seq'],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
