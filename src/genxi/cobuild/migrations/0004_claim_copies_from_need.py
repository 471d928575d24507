"""Existing claims were all on needs: copy the need's community, kind and unit label."""

from django.db import migrations


def copy_from_need(apps, schema_editor):
    Claim = apps.get_model("cobuild", "Claim")
    for claim in Claim.objects.select_related("need").filter(need__isnull=False).iterator():
        claim.community_id = claim.need.community_id
        claim.kind = claim.need.kind
        claim.unit_label = claim.need.unit_label
        claim.save(update_fields=["community", "kind", "unit_label"])


class Migration(migrations.Migration):
    dependencies = [("cobuild", "0003_projects_services_meetings")]

    operations = [migrations.RunPython(copy_from_need, migrations.RunPython.noop)]
