# Agenda items are numbered once per meeting. Items numbered twice by two people adding at
# the same moment (before agenda_add locked the meeting) are renumbered first, in their
# order, so the constraint can be added.

from django.db import migrations, models
from django.db.models import Count


def renumber_clashes(apps, schema_editor):
    AgendaItem = apps.get_model("cobuild", "AgendaItem")
    clashing = (
        AgendaItem.objects.values("meeting_id")
        .annotate(n=Count("id"), positions=Count("position", distinct=True))
        .filter(n__gt=models.F("positions"))
        .values_list("meeting_id", flat=True)
    )
    for meeting_id in list(clashing):
        items = list(AgendaItem.objects.filter(meeting_id=meeting_id).order_by("position", "id"))
        for position, item in enumerate(items, start=1):
            if item.position != position:
                item.position = position
                item.save(update_fields=["position"])


class Migration(migrations.Migration):
    dependencies = [
        ("cobuild", "0007_claim_delivered_at"),
    ]

    operations = [
        migrations.RunPython(renumber_clashes, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="agendaitem",
            constraint=models.UniqueConstraint(
                fields=("meeting", "position"), name="unique_agenda_position"
            ),
        ),
    ]
