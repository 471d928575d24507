from django.db import migrations


class Migration(migrations.Migration):
    """h/locks (the calendar's source) and h/layers (notifications to core) each added a
    0006 to cases; this joins the two lines."""

    dependencies = [
        ("cases", "0006_calendarday_source"),
        ("cases", "0007_notifications_to_core"),
    ]

    operations = []
