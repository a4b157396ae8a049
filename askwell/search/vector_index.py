"""Nearest-neighbour search over stored vectors: pgvector where it is, numpy elsewhere.

Two collections: "passage" (one vector per indexed answer, in SearchDocument)
and "title" (one per answered question, in QuestionVector). On PostgreSQL with
the pgvector extension (migration 0003) vectors are also kept in a
`vector(384)` column with an HNSW index and searched there; on SQLite, or a
PostgreSQL without pgvector, an exact in-process numpy index is used.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np
from django.db import connection

from askwell.search.models import QuestionVector, SearchDocument
from askwell.search.vectors import CachedMatrix, from_blob

TABLES = {
    "passage": ("search_searchdocument", "answer_id"),
    "title": ("search_questionvector", "question_id"),
}
HNSW_EF_SEARCH = 100

_matrices = {
    "passage": CachedMatrix(
        lambda: (
            SearchDocument.objects.exclude(embedding=None)
            .values_list("answer_id", "embedding")
            .iterator(2000)
        )
    ),
    "title": CachedMatrix(
        lambda: QuestionVector.objects.values_list("question_id", "embedding").iterator(
            2000
        )
    ),
}


def forget_matrices() -> None:
    for matrix in _matrices.values():
        matrix.forget()


@cache
def _pgvector_columns(alias: str) -> bool:
    """Whether migration 0003 added the pgvector columns (checked once per process)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = ANY(%s) AND column_name = 'embedding_vec'",
            [[table for table, _ in TABLES.values()]],
        )
        found: int = cursor.fetchone()[0]
        return found == len(TABLES)


def uses_pgvector() -> bool:
    return _pgvector_columns(connection.alias)


def _literal(vector: np.ndarray) -> str:
    return "[" + ",".join(f"{x:.7g}" for x in vector.tolist()) + "]"


def store(kind: str, rows: Sequence[tuple[int, np.ndarray]]) -> None:
    """Copy freshly stored vectors into the pgvector column (no-op elsewhere)."""
    if not rows or not uses_pgvector():
        return
    table, key = TABLES[kind]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET embedding_vec = %s::vector WHERE {key} = %s",  # noqa: S608 - fixed names
            [(_literal(v), pk) for pk, v in rows],
        )


def forget(kind: str, pks: Sequence[int]) -> None:
    """Drop stale vectors from the pgvector column (no-op elsewhere)."""
    if not pks or not uses_pgvector():
        return
    table, key = TABLES[kind]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET embedding_vec = NULL WHERE {key} = ANY(%s)",  # noqa: S608 - fixed names
            [list(pks)],
        )


def nearest(
    kind: str, vector: np.ndarray, k: int, version: int
) -> list[tuple[int, float]]:
    """The k stored vectors closest to `vector` (cosine similarity), best first."""
    if not uses_pgvector():
        return _matrices[kind].get(version).nearest(vector, k)
    table, key = TABLES[kind]
    literal = _literal(vector)
    with connection.cursor() as cursor:
        # HNSW returns at most ef_search rows: ask for at least k.
        cursor.execute(
            "SELECT set_config('hnsw.ef_search', %s, false)",
            [str(max(HNSW_EF_SEARCH, k))],
        )
        cursor.execute(
            f"SELECT {key}, 1 - (embedding_vec <=> %s::vector) FROM {table} "  # noqa: S608 - fixed names
            f"WHERE embedding_vec IS NOT NULL ORDER BY embedding_vec <=> %s::vector LIMIT %s",
            [literal, literal, k],
        )
        return [(pk, float(score)) for pk, score in cursor.fetchall()]


def cosines(
    kind: str, vector: np.ndarray, pks: Sequence[int], version: int
) -> dict[int, float]:
    """The cosine of `vector` with each given stored vector, beyond the nearest k.

    Ranking needs the semantic closeness of every candidate, including those
    found only by words or by focus.
    """
    if not pks:
        return {}
    if not uses_pgvector():
        return _matrices[kind].get(version).cosines(vector, pks)
    table, key = TABLES[kind]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {key}, 1 - (embedding_vec <=> %s::vector) FROM {table} "  # noqa: S608 - fixed names
            f"WHERE {key} = ANY(%s) AND embedding_vec IS NOT NULL",
            [_literal(vector), list(pks)],
        )
        return {pk: float(score) for pk, score in cursor.fetchall()}


def vector_of(kind: str, pk: int, version: int) -> np.ndarray | None:
    if not uses_pgvector():
        return _matrices[kind].get(version).vector(pk)
    model = SearchDocument if kind == "passage" else QuestionVector
    field = "answer_id" if kind == "passage" else "question_id"
    blob = (
        model.objects.filter(**{field: pk}).values_list("embedding", flat=True).first()
    )
    return None if blob is None else from_blob(blob)


def size(kind: str, version: int) -> int:
    if not uses_pgvector():
        return len(_matrices[kind].get(version).ids)
    model = SearchDocument if kind == "passage" else QuestionVector
    return model.objects.exclude(embedding=None).count()
