"""Lexical search backends: SQLite FTS5 and PostgreSQL full-text search.

Both take the same `LexicalQuery` and return `(answer_id, score)` pairs, best
first, for indexed (published) answers. `backend()` picks the one for the default
database connection.

A reader's long message holds many words that most documents contain
("help", "symptoms", "problem"): OR-ing them makes the database score nearly
every document. Both backends therefore rank the words by how many documents
hold them and keep only the rarer ones (`choose_words`), always including the
words of the detected focus.
"""

from __future__ import annotations

import abc
import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import snowballstemmer
from django.db import connection


@dataclass(frozen=True)
class LexicalQuery:
    """Words and phrases, any of which may match (OR), best matches first.

    A backend may leave out common words; never those in `keep` (the words
    naming the question's focus).
    """

    words: tuple[str, ...]
    phrases: tuple[str, ...] = field(default=())
    keep: frozenset[str] = field(default=frozenset())

    def __bool__(self) -> bool:
        return bool(self.words or self.phrases)


# Words in more than this share of the documents are left out of a query...
MAX_DOCUMENT_SHARE = 0.25
# ...and at most this many words are kept, the rarest first.
MAX_WORDS = 12
# When every word is common, the rarest few are kept all the same.
MIN_WORDS = 2


def choose_words(
    query: LexicalQuery, count: Callable[[str], int], documents: int
) -> list[str]:
    """The query's words worth asking the database for (see module doc), rarest first.

    `count(word)` is how many of the `documents` hold the word.
    """
    limit = MAX_DOCUMENT_SHARE * documents
    counted = sorted((count(w), i, w) for i, w in enumerate(query.words))
    kept = [w for n, _, w in counted if n <= limit or w in query.keep]
    if len(kept) < MIN_WORDS:
        kept = [w for _, _, w in counted[:MIN_WORDS]]
    must = [w for w in kept if w in query.keep]
    return list(dict.fromkeys([*must, *kept]))[: max(MAX_WORDS, len(must))]


class WordCounts(abc.ABC):
    """How many documents hold each stemmed word, read once per index version.

    A backend subclasses it with the stemming algorithm its database uses and
    `read()`, which returns the counts and the number of documents.
    """

    algorithm = "porter"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: int | None = None
        self._counts: dict[str, int] = {}
        self.documents = 0
        self._stemmer = snowballstemmer.stemmer(self.algorithm)

    @abc.abstractmethod
    def read(self) -> tuple[dict[str, int], int]:
        """The document count of each stemmed word, and how many documents."""

    def load(self, version: int) -> None:
        if version == self._version:
            return
        with self._lock:
            self._counts, self.documents = self.read()
            self._version = version

    def forget(self) -> None:
        self._version = None

    def count(self, word: str) -> int:
        return self._counts.get(self._stem(word.casefold()), 0)

    @functools.lru_cache(maxsize=50_000)  # noqa: B019 - one instance per backend, per process
    def _stem(self, word: str) -> str:
        with self._lock:
            stem: str = self._stemmer.stemWord(word)
            return stem


@dataclass(frozen=True)
class DocumentText:
    answer_id: int
    title: str
    body: str
    topics: str


class LexicalBackend(Protocol):
    def write(self, documents: list[DocumentText]) -> None: ...
    def delete(self, answer_ids: list[int]) -> None: ...
    def clear(self) -> None: ...
    def analyze(self) -> None: ...
    def document_count(self, word: str, version: int) -> int: ...
    def words_kept(self, query: LexicalQuery, version: int) -> list[str]: ...
    def search(
        self, query: LexicalQuery, limit: int, version: int
    ) -> list[tuple[int, float]]: ...
    def highlight_terms(self, query: LexicalQuery) -> list[str]: ...


def backend() -> LexicalBackend:
    if connection.vendor == "postgresql":
        from askwell.search.backends.postgres import PostgresBackend

        return PostgresBackend()
    from askwell.search.backends.sqlite import SqliteBackend

    return SqliteBackend()
