# The queues' order as an index (decision 0032): a page of a queue is a seek in it.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0015_public_case_region_created")]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                models.OrderBy(
                    models.ExpressionWrapper(
                        models.Q(
                            ("flagged", True),
                            models.Q(
                                ("state__in", ["closed", "merged", "rejected"]), _negated=True
                            ),
                        ),
                        output_field=models.BooleanField(),
                    ),
                    descending=True,
                ),
                models.OrderBy(models.F("created_at"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                name="case_queue_pinned",
            ),
        ),
    ]
