"""The lexical index, in the form each database does best.

SQLite: an FTS5 table (BM25 ranking, Porter stemming), its rowid the answer id.
PostgreSQL: a generated, weighted tsvector column with a GIN index.
"""

from __future__ import annotations

from django.db import migrations

SQLITE_CREATE = """
CREATE VIRTUAL TABLE search_fts USING fts5(
    title, body, topics,
    tokenize = 'porter unicode61 remove_diacritics 2'
)
"""
POSTGRES_CREATE = [
    """
    ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(topics, '')), 'B') ||
        setweight(to_tsvector('english', coalesce(body, '')), 'D')
    ) STORED
    """,
    "CREATE INDEX searchdoc_vector_gin ON search_searchdocument USING gin (search_vector)",
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        for statement in POSTGRES_CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE search_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX searchdoc_vector_gin")
        schema_editor.execute("ALTER TABLE search_searchdocument DROP COLUMN search_vector")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
