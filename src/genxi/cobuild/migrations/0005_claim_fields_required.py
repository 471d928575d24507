import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cobuild", "0004_claim_copies_from_need"),
        ("regions", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="claim",
            name="community",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="regions.region",
                verbose_name="社区",
            ),
        ),
        migrations.AlterField(
            model_name="claim",
            name="kind",
            field=models.CharField(
                choices=[
                    ("volunteers", "志愿服务"),
                    ("venue", "场地"),
                    ("funds", "资金"),
                    ("legal", "法律服务"),
                    ("medical", "医疗服务"),
                    ("education", "教育服务"),
                    ("psychological", "心理服务"),
                    ("goods", "物资"),
                    ("equipment", "设备"),
                ],
                max_length=16,
                verbose_name="类别",
            ),
        ),
        migrations.AlterField(
            model_name="claim",
            name="unit_label",
            field=models.CharField(max_length=20, verbose_name="单位"),
        ),
    ]
