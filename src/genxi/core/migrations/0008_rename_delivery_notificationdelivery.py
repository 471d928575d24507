from django.db import migrations


class Migration(migrations.Migration):
    """The notification's outside-channel send is a NotificationDelivery (a claim's
    delivery, 交付, is something else). The table follows: core_notificationdelivery."""

    dependencies = [
        ("core", "0007_notifications"),
    ]

    operations = [
        migrations.RenameModel(old_name="Delivery", new_name="NotificationDelivery"),
    ]
