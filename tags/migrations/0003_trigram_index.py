from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "tags_tag_name_trgm_idx"


def create_trigram_index(apps, schema_editor):
    # pg_trgm finds near-duplicates and typo suggestions on PostgreSQL; the
    # embedded SQLite database uses a portable comparison instead.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON tags_tag "
            "USING gin (lower(name) gin_trgm_ops)"
        )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("tags", "0002_aliases_redirects_strip")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
