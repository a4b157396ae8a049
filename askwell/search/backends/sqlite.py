"""SQLite FTS5: BM25 with per-column weights over the `search_fts` table.

Before querying, the query's words are pruned by `choose_words` with the
document count of each word from the `search_fts_vocab` view (read once per
index version).
"""

from __future__ import annotations

from django.db import connection

from askwell.search.backends import DocumentText, LexicalQuery, WordCounts, choose_words

# bm25() column weights: title, body, topics.
WEIGHTS = (4.0, 1.0, 3.0)


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


class _Frequencies(WordCounts):
    """Document counts from FTS5's vocabulary view."""

    # FTS5's "porter" tokenizer is Porter's original algorithm, as is this one.
    algorithm = "porter"

    def read(self) -> tuple[dict[str, int], int]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT term, doc FROM search_fts_vocab")
            counts = dict(cursor.fetchall())
            cursor.execute("SELECT count(*) FROM search_fts")
            return counts, cursor.fetchone()[0]


_frequencies = _Frequencies()


def forget_frequencies() -> None:
    _frequencies.forget()


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

    def analyze(self) -> None:
        """Nothing to refresh: the fts5vocab counts are always current."""

    def document_count(self, word: str, version: int) -> int:
        """How many indexed documents hold `word` (0 when unknown)."""
        _frequencies.load(version)
        return _frequencies.count(word)

    def words_kept(self, query: LexicalQuery, version: int) -> list[str]:
        _frequencies.load(version)
        return choose_words(query, _frequencies.count, _frequencies.documents)

    def search(
        self, query: LexicalQuery, limit: int, version: int
    ) -> list[tuple[int, float]]:
        if not query:
            return []
        terms = self.words_kept(query, version) + list(query.phrases)
        match = " OR ".join(_quote(t) for t in terms)
        with connection.cursor() as cursor:
            # Only published answers have documents; the engine re-checks
            # each result against the live answer row before showing it.
            cursor.execute(
                """
                SELECT rowid, bm25(search_fts, %s, %s, %s) AS rank
                FROM search_fts
                WHERE search_fts MATCH %s
                ORDER BY rank
                LIMIT %s
                """,
                [*WEIGHTS, match, limit],
            )
            # bm25() is lower-is-better; report higher-is-better.
            return [(row[0], -row[1]) for row in cursor.fetchall()]

    def highlight_terms(self, query: LexicalQuery) -> list[str]:
        return [*query.words, *query.phrases]
