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


@dataclass
class Matrix:
    ids: np.ndarray  # int64, shape (n,)
    vectors: np.ndarray  # float32, shape (n, DIM)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[int, bytes]]) -> Matrix:
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
        return cls(np.asarray(ids, np.int64), vectors)

    def nearest(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The k rows most similar to `query` (cosine), best first."""
        if len(self.ids) == 0 or k <= 0:
            return []
        scores = self.vectors @ query.astype(np.float32)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(self.ids[i]), float(scores[i])) for i in top]

    def vector(self, pk: int) -> np.ndarray | None:
        hits = np.nonzero(self.ids == pk)[0]
        return self.vectors[hits[0]] if len(hits) else None


def to_blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(bytes(blob), dtype=np.float32)


class CachedMatrix:
    """A Matrix loaded by `load`, reloaded when `version` changes."""

    def __init__(self, load: Callable[[], Iterable[tuple[int, bytes]]]) -> None:
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
