"""SQLite FTS5: BM25 with per-column weights over the `search_fts` table.

A reader's long message holds many words that most documents contain
("help", "symptoms", "problem"): OR-ing them makes FTS5 score nearly every
document. Before querying, words are ranked by how many documents hold them
(the `search_fts_vocab` view, read once per index version) and only the
rarer ones are kept, always including the words of the detected focus.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable

import snowballstemmer
from django.db import connection

from askwell.search.backends import DocumentText, LexicalQuery

# bm25() column weights: title, body, topics.
WEIGHTS = (4.0, 1.0, 3.0)
# Words in more than this share of the documents are left out of a query...
MAX_DOCUMENT_SHARE = 0.25
# ...and at most this many words are kept, the rarest first.
MAX_WORDS = 12
# When every word is common, the rarest few are kept all the same.
MIN_WORDS = 2


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


class _Frequencies:
    """Document count of each stemmed term, reloaded when the index version changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: int | None = None
        self._counts: dict[str, int] = {}
        self.documents = 0
        # FTS5's "porter" tokenizer is Porter's original algorithm, as is this one.
        self._stemmer = snowballstemmer.stemmer("porter")

    def load(self, version: int) -> None:
        if version == self._version:
            return
        with self._lock, connection.cursor() as cursor:
            cursor.execute("SELECT term, doc FROM search_fts_vocab")
            counts = dict(cursor.fetchall())
            cursor.execute("SELECT count(*) FROM search_fts")
            self.documents = cursor.fetchone()[0]
            self._counts = counts
            self._version = version

    def forget(self) -> None:
        self._version = None

    def count(self, word: str) -> int:
        return self._counts.get(self._stem(word.casefold()), 0)

    @functools.lru_cache(maxsize=50_000)  # noqa: B019 - one instance per process
    def _stem(self, word: str) -> str:
        with self._lock:
            return self._stemmer.stemWord(word)


_frequencies = _Frequencies()


def forget_frequencies() -> None:
    _frequencies.forget()


def choose_words(
    query: LexicalQuery, count: Callable[[str], int], documents: int
) -> list[str]:
    """The query's words worth asking FTS5 for (see module doc), rarest first.

    `count(word)` is how many of the `documents` hold the word.
    """
    limit = MAX_DOCUMENT_SHARE * documents
    counted = sorted((count(w), i, w) for i, w in enumerate(query.words))
    kept = [w for n, _, w in counted if n <= limit or w in query.keep]
    if len(kept) < MIN_WORDS:
        kept = [w for _, _, w in counted[:MIN_WORDS]]
    must = [w for w in kept if w in query.keep]
    return list(dict.fromkeys([*must, *kept]))[: max(MAX_WORDS, len(must))]


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

    def search(
        self, query: LexicalQuery, limit: int, version: int
    ) -> list[tuple[int, float]]:
        if not query:
            return []
        _frequencies.load(version)
        terms = choose_words(query, _frequencies.count, _frequencies.documents)
        terms += query.phrases
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
