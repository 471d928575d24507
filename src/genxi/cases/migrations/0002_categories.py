from django.db import migrations


def load(apps, schema_editor):
    from genxi.cases.categories import CATEGORIES

    Category = apps.get_model("cases", "Category")
    by_code = {}
    for code, name, name_en, hours, days, description in CATEGORIES:
        parent = by_code.get(code.split(".")[0]) if "." in code else None
        by_code[code], _ = Category.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "parent": parent,
                "response_hours": hours,
                "resolve_days": days,
                "description": description,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
