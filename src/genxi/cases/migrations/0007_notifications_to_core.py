"""Notifications and their deliveries move to core (decision 0015): the tables are renamed,
their rows stay; core's 0007 takes the models over in Django's state."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_notification_subject")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="notification", table="core_notification"),
                migrations.AlterModelTable(name="delivery", table="core_delivery"),
            ],
            state_operations=[
                migrations.DeleteModel(name="Delivery"),
                migrations.DeleteModel(name="Notification"),
            ],
        ),
    ]
