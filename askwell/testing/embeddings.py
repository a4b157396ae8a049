"""The embedding model for the test suite, remembering what it embedded.

Dozens of browser and search tests each load the same demo content and
index it, and indexing embeds every question and answer: the same few
hundred texts, embedded again for each test (about a third of a demo
load). This subclass of the real model remembers each text's vector for
the life of the test process, so every distinct text still goes through
the real model once, and a repeated one gets the vector the model gave it.
Production and the servers tests start as separate processes use the
plain model.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from askwell.search.embeddings import MiniLMEmbedder

# Enough for every text the suite embeds (a few thousand), bounded so that
# a test embedding a large corpus cannot hold on to it.
REMEMBERED_TEXTS = 20_000


class RememberingMiniLMEmbedder(MiniLMEmbedder):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._vectors: dict[str, np.ndarray] = {}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if len(self._vectors) + len(missing) > REMEMBERED_TEXTS:
            self._vectors.clear()
            missing = list(dict.fromkeys(texts))
        if missing:
            self._vectors.update(zip(missing, super().embed(missing), strict=True))
        vectors = np.empty((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            vectors[row] = self._vectors[text]
        return vectors
