"""Create the table of every database cache in CACHES, so ``migrate`` alone makes a working site.

Rate-limit counters live in the shared cache (``lianxin.core.ratelimit``); without its table the
first rate-limited request would fail. ``createcachetable`` skips tables that already exist and
caches that are not database caches (Redis), so this is safe to run anywhere.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [
        migrations.RunPython(create_cache_tables, migrations.RunPython.noop, elidable=False)
    ]
