"""The map's viewport index: requests by point (issue 11, 民情地图).

``/map/points.json`` narrows the requests a user may see to a bounding box and groups them into
cells. Without an index on the point every viewport read the whole table (100k requests: 70 ms
at zoom 14 for 38 requests in view). On PostgreSQL the index is partial (only requests with a
point) and covers the columns the clustering reads (state and the two due times for "overdue",
grid and unit for the scope), so a viewport is an index-only range scan; SQLite gets the plain
(lat, lng) index. Raw SQL because Django's ``Index(include=...)`` is PostgreSQL-only and warns
(models.W040) on SQLite.
"""

from django.db import migrations

NAME = "cases_case_point_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON cases_case (lat, lng) "
            "INCLUDE (state, accept_due_at, resolve_due_at, grid_id, unit_id) "
            "WHERE lat IS NOT NULL AND lng IS NOT NULL"
        )
    else:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {NAME} ON cases_case (lat, lng)")


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_backfill_rated_unit")]

    operations = [migrations.RunPython(create, drop)]
