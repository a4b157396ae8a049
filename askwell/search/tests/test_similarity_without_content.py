"""similarity() on a site with no content: never worse than its model's cosine.

Without indexed questions there are no neighbours to vote on a question's
type, and the wording rules alone lowered ROC-AUC on held-out doctor-labelled
pairs (issue 16). So on an empty site the score must order any pairs exactly
as the plain cosine of the two embeddings does.
"""

from __future__ import annotations

import numpy as np
import pytest

from askwell.search.embeddings import adapt, get_embedder, similarity_adapter
from askwell.search.engine import similarity
from askwell.search.models import SearchDocument

pytestmark = pytest.mark.django_db

# Pairs whose wording rules disagree on the type ("what causes" / "how is it
# treated") beside pairs that agree, so that a type term that counted without
# neighbours would reorder them.
PAIRS = [
    ("What causes gout?", "How is gout treated?"),
    ("What causes gout?", "Why do people get gout?"),
    ("What are the symptoms of lupus?", "How do I know if I have lupus?"),
    ("What are the symptoms of lupus?", "What is the treatment for lupus?"),
    ("Is multiple sclerosis inherited?", "Can my children get MS from me?"),
    ("Is multiple sclerosis inherited?", "How is multiple sclerosis diagnosed?"),
    ("How is asthma treated?", "What medicines help asthma?"),
    ("How is asthma treated?", "What causes asthma attacks?"),
]


def _cosines(adapter: np.ndarray | None) -> list[float]:
    embedder = get_embedder()
    assert embedder is not None
    cosines = []
    for a, b in PAIRS:
        va, vb = adapt(embedder.embed([a, b]), adapter)
        cosines.append(float(va @ vb))
    return cosines


def _same_order(scores: list[float], cosines: list[float]) -> bool:
    return list(np.argsort(scores, kind="stable")) == list(
        np.argsort(cosines, kind="stable")
    )


@pytest.mark.parametrize("adapter", ["medquad", "none"])
def test_on_an_empty_site_similarity_orders_pairs_as_the_cosine(settings, adapter):
    """The cosine of the vectors similarity() compares: the model's, mapped
    by the similarity adapter when one is chosen."""
    # given a site with nothing indexed and the embedding model
    settings.ASKWELL_SIMILARITY_ADAPTER = adapter
    assert not SearchDocument.objects.exists()
    embedder = get_embedder()
    assert embedder is not None

    # when every pair is scored both ways
    scores = [similarity(a, b) for a, b in PAIRS]
    cosines = _cosines(similarity_adapter(embedder))

    # then the two orders are the same, pair by pair
    assert _same_order(scores, cosines)
    # and the score is a 0-1 value that grows with the cosine
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert len(set(np.round(scores, 9))) == len(PAIRS)


def test_the_adapter_is_used_only_when_chosen(settings):
    embedder = get_embedder()
    assert embedder is not None
    settings.ASKWELL_SIMILARITY_ADAPTER = "none"
    assert similarity_adapter(embedder) is None
    plain = [similarity(a, b) for a, b in PAIRS]
    settings.ASKWELL_SIMILARITY_ADAPTER = "medquad"
    adapted = [similarity(a, b) for a, b in PAIRS]
    # The adapter moves every score (it is not the identity).
    assert all(abs(x - y) > 1e-6 for x, y in zip(plain, adapted, strict=True))
