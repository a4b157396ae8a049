"""Keep ten thousand lexemes in the statistics of `search_vector` (PostgreSQL).

The lexical backend prunes common query words with these counts (see
askwell/search/backends/postgres.py); the default target keeps only 1,000.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE search_searchdocument ALTER COLUMN search_vector SET STATISTICS 1000"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE search_searchdocument ALTER COLUMN search_vector SET STATISTICS -1"
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0004_sqlite_vocabulary")]

    operations = [migrations.RunPython(forwards, backwards)]
