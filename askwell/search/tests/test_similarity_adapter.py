"""The similarity adapter shipped with Askwell (search/embeddings.py)."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from django.core.exceptions import ImproperlyConfigured

from askwell.search import embeddings
from askwell.search.embeddings import (
    SIMILARITY_ADAPTERS,
    EmbeddingUnavailable,
    adapt,
    get_embedder,
    similarity_adapter,
)


@pytest.fixture(autouse=True)
def _fresh_adapters(monkeypatch):
    monkeypatch.setattr(embeddings, "_adapters", {})


def test_the_shipped_adapter_loads_checked_and_is_a_small_change():
    embedder = get_embedder()
    assert embedder is not None
    matrix = similarity_adapter(embedder)
    assert matrix is not None
    assert matrix.shape == (384, 384)
    # Trained near the identity (an L2 pull towards it): a map, not a new model.
    assert 0.0 < float(np.abs(matrix - np.eye(384)).max()) < 0.5


def test_an_altered_adapter_file_is_refused(tmp_path, monkeypatch):
    embedder = get_embedder()
    assert embedder is not None
    key = ("minilm-int8", "medquad")
    path, digest = SIMILARITY_ADAPTERS[key]
    altered = tmp_path / path.name
    shutil.copy(path, altered)
    with altered.open("r+b") as f:
        f.seek(-4, 2)
        f.write(b"\x00\x00\x80\x3f")
    monkeypatch.setitem(SIMILARITY_ADAPTERS, key, (altered, digest))
    with pytest.raises(EmbeddingUnavailable, match="sha256"):
        similarity_adapter(embedder)


def test_an_unknown_adapter_name_is_a_configuration_error(settings):
    embedder = get_embedder()
    assert embedder is not None
    settings.ASKWELL_SIMILARITY_ADAPTER = "banana"
    with pytest.raises(ImproperlyConfigured, match="medquad, none"):
        similarity_adapter(embedder)


def test_adapted_vectors_are_unit_length():
    rows = np.random.default_rng(0).normal(size=(5, 384)).astype(np.float32)
    matrix = np.eye(384, dtype=np.float32) * 3.0
    out = adapt(rows, matrix)
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    assert adapt(rows, None) is rows
