"""SQLite FTS5: BM25 with per-column weights over the `search_fts` table."""

from __future__ import annotations

from django.db import connection

from askwell.search.backends import DocumentText, LexicalQuery

# bm25() column weights: title, body, topics.
WEIGHTS = (4.0, 1.0, 3.0)


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


class SqliteBackend:
    def write(self, documents: list[DocumentText]) -> None:
        if not documents:
            return
        self.delete([d.answer_id for d in documents])
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, body, topics) VALUES (%s, %s, %s, %s)",
                [(d.answer_id, d.title, d.body, d.topics) for d in documents],
            )

    def delete(self, answer_ids: list[int]) -> None:
        with connection.cursor() as cursor:
            for start in range(0, len(answer_ids), 500):
                chunk = answer_ids[start : start + 500]
                cursor.execute(
                    f"DELETE FROM search_fts WHERE rowid IN ({', '.join(['%s'] * len(chunk))})",  # noqa: S608 - placeholders only
                    chunk,
                )

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")

    def search(self, query: LexicalQuery, limit: int) -> list[tuple[int, float]]:
        if not query:
            return []
        match = " OR ".join(
            [_quote(w) for w in query.words] + [_quote(p) for p in query.phrases]
        )
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT f.rowid, bm25(search_fts, %s, %s, %s) AS rank
                FROM search_fts AS f
                JOIN questions_answer AS a ON a.id = f.rowid
                WHERE search_fts MATCH %s AND a.status = 'published'
                ORDER BY rank
                LIMIT %s
                """,
                [*WEIGHTS, match, limit],
            )
            # bm25() is lower-is-better; report higher-is-better.
            return [(row[0], -row[1]) for row in cursor.fetchall()]

    def highlight_terms(self, query: LexicalQuery) -> list[str]:
        return [*query.words, *query.phrases]
