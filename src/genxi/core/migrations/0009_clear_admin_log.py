"""Clear django_admin_log: the admin no longer writes it (the audit log is the one record),
and the rows it kept name objects — residents included — in plain text."""

from django.db import migrations


def clear(apps, schema_editor):
    apps.get_model("admin", "LogEntry").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_rename_delivery_notificationdelivery"),
        ("admin", "0003_logentry_add_action_flag_choices"),
    ]

    operations = [migrations.RunPython(clear, migrations.RunPython.noop)]
