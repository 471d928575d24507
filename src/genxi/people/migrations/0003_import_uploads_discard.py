"""Uploads of earlier imports were kept in plain text under media/imports/: delete them.
A job that had not finished fails as expired (the user uploads again)."""

from django.db import migrations


def discard(apps, schema_editor):
    ImportJob = apps.get_model("people", "ImportJob")
    for job in ImportJob.objects.exclude(file=""):
        job.file.storage.delete(job.file.name)
        changes = {"file": ""}
        if job.status not in ("done", "failed"):
            changes.update(
                status="failed",
                errors=[{"row": 1, "column": "A", "title": "", "code": "expired", "params": {}}],
            )
        ImportJob.objects.filter(pk=job.pk).update(**changes)


class Migration(migrations.Migration):
    dependencies = [("people", "0002_unicode_json")]

    operations = [migrations.RunPython(discard, migrations.RunPython.noop)]
