"""SQLite: an fts5vocab view of the lexical index, for each term's document count.

The engine reads it to leave out of a query the words that half the
documents contain (they cost most of an OR query's time and barely change
BM25's order). Nothing on PostgreSQL.
"""

from __future__ import annotations

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, row)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE search_fts_vocab")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_pgvector")]
    operations = [migrations.RunPython(create, drop)]
