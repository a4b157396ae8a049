"""The topic phrase table: read from the topics in the database, kept for
one search index version."""

from __future__ import annotations

import pytest

from askwell.language.understanding import TopicPhrases, find_focus
from askwell.search.indexing import bump_version, current_version
from askwell.search.phrases import topic_phrases
from askwell.topics.tests.factories import TopicFactory


def _focus_ids(text: str, phrases: TopicPhrases) -> list[int]:
    focus, _ = find_focus(text, phrases)
    return [match.topic_id for match in focus]


@pytest.mark.django_db
def test_topic_phrases_are_read_from_topics_and_follow_the_index_version():
    """The phrase table comes from the database and is rebuilt when the search
    data version changes, so a new topic is found after the next bump."""
    # given
    gout = TopicFactory(name="Gout", other_names=["podagra"])
    bump_version()
    before = topic_phrases(current_version())
    psoriasis = TopicFactory(name="Psoriasis", other_names=[])

    # when
    stale = topic_phrases(current_version())
    bump_version()
    fresh = topic_phrases(current_version())

    # then
    assert stale is before
    assert _focus_ids("podagra and psoriasis", before) == [gout.pk]
    assert _focus_ids("podagra and psoriasis", fresh) == [gout.pk, psoriasis.pk]
