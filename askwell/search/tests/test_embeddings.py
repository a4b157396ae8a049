"""The MiniLM embedder, run on the real model (no database)."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from askwell.search.embeddings import (
    EmbeddingUnavailable,
    MiniLMEmbedder,
    _carrier_model_path,
    cosine,
    get_embedder,
)

MS_QUESTION = "Can plasmapheresis help treat multiple sclerosis?"
MS_PARAPHRASE = "Is plasma exchange an effective therapy for MS?"
UNRELATED = "What foods should I avoid if I have gout?"


@pytest.fixture(scope="module")
def embedder():
    return MiniLMEmbedder()


def test_vectors_are_unit_length_float32(embedder):
    vectors = embedder.embed([MS_QUESTION, "Flu?", UNRELATED])

    assert vectors.dtype == np.float32
    assert vectors.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_empty_input_gives_no_rows(embedder):
    assert embedder.embed([]).shape == (0, 384)


def test_same_text_gives_same_vector(embedder):
    first, second = embedder.embed([MS_QUESTION]), embedder.embed([MS_QUESTION])

    np.testing.assert_array_equal(first, second)


def test_batching_keeps_input_order(embedder):
    texts = [
        "What are the long-term side effects of taking metformin every day for type 2 diabetes?",
        "Is asthma genetic?",
        "How is Lyme disease diagnosed?",
        "Shingles vaccine?",
    ]
    small_batches = MiniLMEmbedder(batch_size=2)

    together = small_batches.embed(texts)
    one_by_one = np.vstack([embedder.embed([text]) for text in texts])

    np.testing.assert_allclose(together, one_by_one, atol=1e-5)


def test_paraphrase_scores_higher_than_unrelated_question(embedder):
    question, paraphrase, unrelated = embedder.embed(
        [MS_QUESTION, MS_PARAPHRASE, UNRELATED]
    )

    assert cosine(question, paraphrase) > cosine(question, unrelated) + 0.3


def test_long_text_is_truncated(embedder):
    long_text = " ".join(f"symptom{i}" for i in range(2000))

    long_vector, longer_vector = embedder.embed(
        [long_text, long_text + " and a tail that lies past the token limit"]
    )

    np.testing.assert_allclose(long_vector, longer_vector, atol=1e-6)


def test_tampered_model_is_refused(tmp_path):
    tampered = tmp_path / "model.onnx"
    shutil.copyfile(_carrier_model_path(), tampered)
    with tampered.open("r+b") as f:
        f.seek(1000)
        byte = f.read(1)
        f.seek(1000)
        f.write(bytes([byte[0] ^ 0xFF]))

    with pytest.raises(EmbeddingUnavailable, match="sha256"):
        MiniLMEmbedder(model_path=tampered)


def test_missing_model_names_the_file(tmp_path):
    with pytest.raises(EmbeddingUnavailable, match="missing"):
        MiniLMEmbedder(model_path=tmp_path / "model.onnx")


def test_get_embedder_loads_once(settings):
    settings.ASKWELL_EMBEDDING_MODEL = "minilm-int8"

    assert isinstance(get_embedder(), MiniLMEmbedder)
    assert get_embedder() is get_embedder()


def test_get_embedder_can_be_switched_off(settings):
    settings.ASKWELL_EMBEDDING_MODEL = "none"

    assert get_embedder() is None
