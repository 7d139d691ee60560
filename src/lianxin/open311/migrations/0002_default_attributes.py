"""The shipped GeoReport attributes of a few default categories (data only; reversible)."""

from django.db import migrations

from lianxin.open311.defaults import seed_attributes, unseed_attributes


def seed(apps, schema_editor):
    seed_attributes(apps.get_model("cases", "Category"), apps.get_model("open311", "ServiceAttribute"))


def unseed(apps, schema_editor):
    unseed_attributes(apps.get_model("open311", "ServiceAttribute"))


class Migration(migrations.Migration):
    dependencies = [("open311", "0001_initial"), ("cases", "0002_default_categories")]

    operations = [migrations.RunPython(seed, unseed)]
