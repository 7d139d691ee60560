"""The map's viewport index also covers the request's id (issue 11, 民情地图 benchmark).

The clustering counts and picks ``id`` per cell; without it in the index every row of the
viewport was fetched from the heap, so at zoom 8 (20k requests in view of 100k) PostgreSQL chose a
sequential scan: 70 ms. With ``id`` included the same query is an index-only scan: 18 ms (with
the visibility map current, which autovacuum keeps). SQLite keeps its plain (lat, lng) index.
"""

from django.db import migrations

NAME = "cases_case_point_idx"
COLUMNS = "state, accept_due_at, resolve_due_at, grid_id, unit_id"


def _create(schema_editor, include: str) -> None:
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")
    schema_editor.execute(
        f"CREATE INDEX {NAME} ON cases_case (lat, lng) INCLUDE ({include}) "
        "WHERE lat IS NOT NULL AND lng IS NOT NULL"
    )


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _create(schema_editor, f"{COLUMNS}, id")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _create(schema_editor, COLUMNS)


class Migration(migrations.Migration):
    dependencies = [("cases", "0012_map_point_index")]

    operations = [migrations.RunPython(forwards, backwards)]
