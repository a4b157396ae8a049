"""In-process nearest-neighbour search over vectors stored in the database.

An exact search: a numpy matrix of L2-normalised float32 rows, one matrix
product per query (about 1 ms at 50,000 × 384 on our 2-core machine). Each
process loads the matrices on first use and reloads them when the shared
IndexState counter says search data changed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

DIM = 384
# How a database driver hands back a BinaryField: bytes, or a memoryview
# (psycopg); None where no vector was computed yet.
Blob = bytes | memoryview


@dataclass
class Matrix:
    ids: np.ndarray  # int64, shape (n,)
    vectors: np.ndarray  # float32, shape (n, DIM)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[int, Blob | None]]) -> Matrix:
        ids: list[int] = []
        blobs: list[bytes] = []
        for pk, blob in rows:
            if blob is not None and len(blob) == DIM * 4:
                ids.append(pk)
                blobs.append(bytes(blob))
        if not ids:
            return cls(np.zeros(0, np.int64), np.zeros((0, DIM), np.float32))
        vectors = np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(
            len(ids), DIM
        )
        # Rows sorted by id, so that `rows_of` finds ids by binary search.
        keys = np.asarray(ids, np.int64)
        order = np.argsort(keys, kind="stable")
        return cls(keys[order], vectors[order])

    def nearest(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The k rows most similar to `query` (cosine), best first."""
        if len(self.ids) == 0 or k <= 0:
            return []
        scores = self.vectors @ query.astype(np.float32)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(self.ids[i]), float(scores[i])) for i in top]

    def rows_of(self, pks: Iterable[int]) -> tuple[np.ndarray, np.ndarray]:
        """The given ids that have a row, and the index of each one's row."""
        wanted = np.unique(np.fromiter(pks, np.int64))
        if len(self.ids) == 0 or len(wanted) == 0:
            return wanted[:0], wanted[:0]
        at = np.searchsorted(self.ids, wanted).clip(0, len(self.ids) - 1)
        present = self.ids[at] == wanted
        return wanted[present], at[present]

    def vector(self, pk: int) -> np.ndarray | None:
        _, at = self.rows_of([pk])
        return self.vectors[at[0]] if len(at) else None

    def cosines(self, query: np.ndarray, pks: Iterable[int]) -> dict[int, float]:
        """The cosine of `query` with each given row (ids without a row are left out)."""
        found, at = self.rows_of(pks)
        scores = self.vectors[at] @ query.astype(np.float32)
        return dict(zip(found.tolist(), scores.tolist(), strict=True))


def to_blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_blob(blob: Blob) -> np.ndarray:
    return np.frombuffer(bytes(blob), dtype=np.float32)


class CachedMatrix:
    """A Matrix loaded by `load`, reloaded when `version` changes."""

    def __init__(self, load: Callable[[], Iterable[tuple[int, Blob | None]]]) -> None:
        self._load = load
        self._lock = threading.Lock()
        self._version: int | None = None
        self._matrix = Matrix.from_rows([])

    def forget(self) -> None:
        self._version = None

    def get(self, version: int) -> Matrix:
        if version != self._version:
            with self._lock:
                if version != self._version:
                    self._matrix = Matrix.from_rows(self._load())
                    self._version = version
        return self._matrix
