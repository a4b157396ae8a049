"""pgvector columns and HNSW indexes, on a PostgreSQL that has the extension.

Where `CREATE EXTENSION vector` is not possible (no pgvector installed, or no
privilege), the migration does nothing and the engine keeps using its
in-process index, exactly as on SQLite.
"""

from __future__ import annotations

from django.db import migrations

TABLES = {
    "search_searchdocument": "searchdoc_embedding_hnsw",
    "search_questionvector": "questionvector_embedding_hnsw",
}


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")
        if cursor.fetchone() is None:
            return
        cursor.execute("CREATE EXTENSION IF NOT EXISTS vector")
    for table, index in TABLES.items():
        schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN embedding_vec vector(384)")
        schema_editor.execute(
            f"CREATE INDEX {index} ON {table} USING hnsw (embedding_vec vector_cosine_ops) "
            "WITH (m = 16, ef_construction = 64)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS embedding_vec")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_lexical_index")]
    operations = [migrations.RunPython(create, drop)]
