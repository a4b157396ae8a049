"""PostgreSQL full-text search over the weighted `search_vector` column."""

from __future__ import annotations

from django.db import connection

from askwell.search.backends import DocumentText, LexicalQuery


class PostgresBackend:
    """The tsvector is a generated column, so writing a document is a plain upsert
    of SearchDocument (done by the indexer); nothing else to maintain here."""

    def write(self, documents: list[DocumentText]) -> None:
        return None

    def delete(self, answer_ids: list[int]) -> None:
        return None

    def clear(self) -> None:
        return None

    def search(
        self, query: LexicalQuery, limit: int, version: int
    ) -> list[tuple[int, float]]:
        if not query:
            return []
        parts = ["plainto_tsquery('english', %s)"] * len(query.words) + [
            "phraseto_tsquery('english', %s)"
        ] * len(query.phrases)
        tsquery = " || ".join(parts)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT d.answer_id, ts_rank_cd(d.search_vector, q, 1) AS rank
                FROM search_searchdocument AS d,
                     ({"SELECT " + tsquery} AS q) AS query
                WHERE d.search_vector @@ query.q
                ORDER BY rank DESC
                LIMIT %s
                """,  # noqa: S608 - only placeholders are interpolated
                [*query.words, *query.phrases, limit],
            )
            return list(cursor.fetchall())

    def highlight_terms(self, query: LexicalQuery) -> list[str]:
        return [*query.words, *query.phrases]
