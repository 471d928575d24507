"""Separate the public id (the code) from the reporter's secret.

Every existing case gets a secret nobody knows: its code was public (the Open311 feed listed
it), so it no longer lets anyone act as the reporter; staff rate such cases on the
return call. New cases hand their secret to the reporter at submission."""

import hashlib
import secrets

from django.db import migrations, models

import genxi.core.pii

BATCH = 2000


def give_secrets(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    batch = []
    for case in Case.objects.filter(secret_digest="").only("pk").iterator(chunk_size=BATCH):
        case.secret_digest = hashlib.sha256(secrets.token_hex(16).encode()).hexdigest()
        batch.append(case)
        if len(batch) >= BATCH:
            Case.objects.bulk_update(batch, ["secret_digest"])
            batch = []
    if batch:
        Case.objects.bulk_update(batch, ["secret_digest"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_fewer_write_indexes")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="secret_digest",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64),
        ),
        migrations.RunPython(give_secrets, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="idempotencyrecord",
            name="body",
            field=genxi.core.pii.EncryptedTextField(blank=True, default="", kind="text"),
        ),
    ]
