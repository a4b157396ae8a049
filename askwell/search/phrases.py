"""The topic phrase table that question understanding reads, built from the
topics in the database and kept per process for one search index version."""

from __future__ import annotations

import threading

from django.db.models import Count

from askwell.language.understanding import TopicPhrases
from askwell.topics.models import Topic

_phrases: tuple[int, TopicPhrases] | None = None
_lock = threading.Lock()


def forget_phrases() -> None:
    global _phrases
    _phrases = None


def topic_phrases(version: int) -> TopicPhrases:
    """The phrase table, rebuilt when the search data version changes."""
    global _phrases
    if _phrases is None or _phrases[0] != version:
        with _lock:
            if _phrases is None or _phrases[0] != version:
                rows = Topic.objects.annotate(weight=Count("questions")).values_list(
                    "pk", "name", "other_names", "weight"
                )
                _phrases = (version, TopicPhrases(rows))
    return _phrases[1]
