"""Search: finding answers and questions in a reader's own words.

Other apps import search from this package only, by the names in
`__all__` (documented in api.py), never from its modules: the engine, the
backends, indexing, the snapshot and the vector index are search's own.

The names load on first use (PEP 562 `__getattr__`): this package is also
the Django app, imported before the models are ready, and the engine needs
them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from askwell.search.api import (
        Hit,
        SearchResults,
        current_version,
        find_missing_related,
        hit_to_dict,
        index_now,
        query_vectors,
        refresh_statistics,
        related_questions,
        run_embeddings,
        search,
        similar_questions,
        similarity,
        topic_phrases,
    )

# api.__all__ again (a test compares the two): known here without loading
# api, so that asking for any other name never loads the engine.
__all__ = [
    "Hit",
    "SearchResults",
    "current_version",
    "find_missing_related",
    "hit_to_dict",
    "index_now",
    "query_vectors",
    "refresh_statistics",
    "related_questions",
    "run_embeddings",
    "search",
    "similar_questions",
    "similarity",
    "topic_phrases",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from askwell.search import api

        return getattr(api, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
