"""askwell.search, the package, is search's one public face: other apps
import these names from it and nothing from its modules."""

from __future__ import annotations

import pytest

import askwell.search
from askwell.search import api, engine, indexing, phrases


def test_the_package_offers_the_public_names_of_api():
    """Each public name is the object its module defines, loaded on first use."""
    # then
    assert sorted(askwell.search.__all__) == sorted(api.__all__)
    assert askwell.search.search is engine.search
    assert askwell.search.similar_questions is engine.similar_questions
    assert askwell.search.related_questions is engine.related_questions
    assert askwell.search.similarity is engine.similarity
    assert askwell.search.hit_to_dict is engine.hit_to_dict
    assert askwell.search.current_version is indexing.current_version
    assert askwell.search.run_embeddings is indexing.run_embeddings
    assert askwell.search.topic_phrases is phrases.topic_phrases


@pytest.mark.parametrize(
    "name", ["query_passage", "backend", "reindex", "embed_pending"]
)
def test_internals_are_not_offered_by_name(name):
    with pytest.raises(AttributeError, match=f"has no attribute '{name}'"):
        getattr(askwell.search, name)
