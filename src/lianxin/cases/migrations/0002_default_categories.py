from django.db import migrations


def seed(apps, schema_editor):
    from lianxin.cases.categories import seed_categories

    seed_categories(apps.get_model("cases", "Category"), apps.get_model("cases", "DeadlineRule"))


def unseed(apps, schema_editor):
    pass  # categories may already be in use; leave them


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
