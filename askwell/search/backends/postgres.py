"""PostgreSQL full-text search over the weighted `search_vector` column.

The query's words are pruned by `choose_words` like on SQLite. The document
counts come from PostgreSQL's own statistics: ANALYZE keeps, for a tsvector
column, its most common lexemes and the share of rows holding each
(`pg_stats.most_common_elems` / `most_common_elem_freqs`; migration 0005
raises the column's statistics target so ten thousand lexemes are kept). A
word missing from that list is rarer than every listed one, which is all the
pruning needs. The list is read once per index version; before the first
ANALYZE there is none and every word is kept.

PostgreSQL then ranks every matching row (ts_rank_cd reads each row's
tsvector), so time grows with the rows the words match together: past the
common pruning, words are dropped, most common first, while together they
would match more than MATCH_SHARE of the documents or MATCH_ROWS rows (the detected focus and
the two rarest words stay), and at most MAX_MATCHED rows are ranked: past
that, which rows are ranked is up to the index scan, so at a million
questions the lexical side trades recall for a bounded time (the semantic
side, the focus topic's questions and the ranking still see everything).
"""

from __future__ import annotations

from django.db import connection

from askwell.search.backends import (
    MIN_WORDS,
    DocumentText,
    LexicalQuery,
    WordCounts,
    choose_words,
)

MATCH_SHARE = 0.05
# ...and never more than this many rows, whatever the size of the index: the
# GIN bitmap of every kept word is built before any row is ranked.
MATCH_ROWS = 20_000
# About 50 ms of ts_rank_cd; binds at a million questions, rarely at MedQuAD's
# 16,000 answers (5 % of them is 800 rows).
MAX_MATCHED = 2_000


class _Frequencies(WordCounts):
    """Estimated document counts of the common lexemes, from pg_stats."""

    # The 'english' text search configuration stems with Snowball's English.
    algorithm = "english"

    def read(self) -> tuple[dict[str, int], int]:
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs,
                       c.reltuples
                FROM pg_stats AS s
                JOIN pg_class AS c ON c.relname = s.tablename
                WHERE s.tablename = 'search_searchdocument'
                  AND s.attname = 'search_vector'
                  AND s.schemaname = current_schema()
                """
            )
            row = cursor.fetchone()
            counts: dict[str, int] = {}
            documents = 0
            if row and row[0] and row[2] > 0:
                lexemes, shares, documents = row[0], row[1], int(row[2])
                # The frequency list ends with three summary figures.
                counts = {
                    lexeme: round(share * documents)
                    for lexeme, share in zip(lexemes, shares, strict=False)
                }
        return counts, documents


_frequencies = _Frequencies()


def forget_frequencies() -> None:
    _frequencies.forget()


class PostgresBackend:
    """The tsvector is a generated column, so writing a document is a plain upsert
    of SearchDocument (done by the indexer); nothing else to maintain here."""

    def write(self, documents: list[DocumentText]) -> None:
        return None

    def delete(self, answer_ids: list[int]) -> None:
        return None

    def clear(self) -> None:
        return None

    def analyze(self) -> None:
        """Refresh the lexeme statistics the pruning reads (after bulk changes)."""
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchdocument")
        _frequencies.forget()

    def document_count(self, word: str, version: int) -> int:
        """How many indexed documents hold `word` (0 when unknown)."""
        _frequencies.load(version)
        return _frequencies.count(word)

    def words_kept(self, query: LexicalQuery, version: int) -> list[str]:
        _frequencies.load(version)
        if not _frequencies.documents:
            return list(query.words)
        words = choose_words(query, _frequencies.count, _frequencies.documents)
        budget = min(MATCH_SHARE * _frequencies.documents, MATCH_ROWS)
        while len(words) > MIN_WORDS and sum(map(_frequencies.count, words)) > budget:
            droppable = [w for w in words[MIN_WORDS:] if w not in query.keep]
            if not droppable:
                break
            words.remove(max(droppable, key=_frequencies.count))
        return words

    def search(
        self, query: LexicalQuery, limit: int, version: int
    ) -> list[tuple[int, float]]:
        if not query:
            return []
        words = self.words_kept(query, version)
        parts = ["plainto_tsquery('english', %s)"] * len(words) + [
            "phraseto_tsquery('english', %s)"
        ] * len(query.phrases)
        tsquery = " || ".join(parts)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                WITH query AS (SELECT {tsquery} AS q),
                matched AS (
                    SELECT d.answer_id, d.search_vector
                    FROM search_searchdocument AS d, query
                    WHERE d.search_vector @@ query.q
                    LIMIT %s
                )
                SELECT m.answer_id, ts_rank_cd(m.search_vector, query.q, 1) AS rank
                FROM matched AS m, query
                ORDER BY rank DESC
                LIMIT %s
                """,  # noqa: S608 - only placeholders are interpolated
                [*words, *query.phrases, MAX_MATCHED, limit],
            )
            return list(cursor.fetchall())

    def highlight_terms(self, query: LexicalQuery) -> list[str]:
        return [*query.words, *query.phrases]
