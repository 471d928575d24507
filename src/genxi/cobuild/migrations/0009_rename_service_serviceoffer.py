from django.db import migrations


class Migration(migrations.Migration):
    """The 服务清单 entry is a ServiceOffer, so it no longer shares its name with the
    `cobuild.services` package of writes. The table follows: cobuild_serviceoffer."""

    dependencies = [
        ("cobuild", "0008_agenda_position_unique"),
    ]

    operations = [
        migrations.RenameModel(old_name="Service", new_name="ServiceOffer"),
    ]
