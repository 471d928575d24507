"""A notification names its subject by content type and id instead of a foreign key to a
case, so that the notifications can move to core (decision 0015): every app's object can
be a subject. Existing rows keep their case as subject."""

import django.db.models.deletion
from django.db import migrations, models


def case_to_subject(apps, schema_editor):
    Notification = apps.get_model("cases", "Notification")
    about_cases = Notification.objects.filter(case__isnull=False)
    if not about_cases.exists():
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    case_type, _ = ContentType.objects.get_or_create(app_label="cases", model="case")
    about_cases.update(subject_type=case_type, subject_id=models.F("case_id"))


def subject_to_case(apps, schema_editor):
    Notification = apps.get_model("cases", "Notification")
    ContentType = apps.get_model("contenttypes", "ContentType")
    case_type = ContentType.objects.filter(app_label="cases", model="case").first()
    if case_type is not None:
        Notification.objects.filter(subject_type=case_type).update(case_id=models.F("subject_id"))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_case_secret_digest"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="subject_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="subject_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(case_to_subject, subject_to_case),
        migrations.RemoveField(model_name="notification", name="case"),
    ]
