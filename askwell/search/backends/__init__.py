"""Lexical search backends: SQLite FTS5 and PostgreSQL full-text search.

Both take the same `LexicalQuery` and return `(answer_id, score)` pairs, best
first, for indexed (published) answers. `backend()` picks the one for the default
database connection.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

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
