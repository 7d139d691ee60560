from django.db import migrations


def gin_index(apps, schema_editor):
    # Bigram search on PostgreSQL: a GIN index over the tsvector the selector queries.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS cases_case_search_gin ON cases_case USING gin "
            "(to_tsvector('simple'::regconfig, COALESCE(search_tokens, '')))"
        )


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS cases_case_search_gin")


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_default_categories")]

    operations = [migrations.RunPython(gin_index, drop_gin_index)]
