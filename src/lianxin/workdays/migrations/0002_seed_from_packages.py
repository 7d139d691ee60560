"""Seed the calendar from chinese_calendar (2004–2026) and, for official years only it knows,
from holidays. Data only (the schema is 0001). Reversing it empties the seeded rows."""

from django.db import migrations


def seed_forward(apps, schema_editor):
    from lianxin.workdays.seed import seed

    seed(apps.get_model("workdays", "CalendarYear"), apps.get_model("workdays", "CalendarDay"))


def seed_backward(apps, schema_editor):
    CalendarDay = apps.get_model("workdays", "CalendarDay")
    CalendarYear = apps.get_model("workdays", "CalendarYear")
    packages = ["chinese_calendar", "holidays"]
    CalendarDay.objects.filter(source__in=packages).delete()
    CalendarYear.objects.filter(source__in=packages, days__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(seed_forward, seed_backward)]
