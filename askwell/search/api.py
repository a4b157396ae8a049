"""Search as the rest of Askwell sees it: the only names other apps import,
through the package (`from askwell.search import search`).

Finding:
    search(text)              answers ranked best first (search page, CLI, API)
    similar_questions(text)   answered questions close to a question being typed
    related_questions(q)      "continue learning" on a question page
    similarity(a, b)          0–1 score of two questions being the same question
    query_vectors(texts)      the embeddings search() would compute, in one batch
    Hit, SearchResults        what search() returns; hit_to_dict(hit) is a hit
                              as the API and `askwell search --json` print it

Reading the content the way search does:
    current_version()         the search data version: it changes whenever the
                              index does, so caches keyed on it stay fresh
    topic_phrases(version)    the topic phrase table that
                              askwell.language.understanding.find_focus reads

Keeping the index in step after a bulk load (the `import` command):
    refresh_statistics()      let the lexical backend recount its words
    run_embeddings(stdout)    compute missing embeddings, progress on stdout
    index_now(q_ids, a_ids)   index and embed these at once, inside the
                              caller's transaction (the demo loader: the
                              demo is searchable as soon as it is loaded)

Scheduled work (operations/schedule.py queues it):
    find_missing_related      a job: store "continue learning" for answered
                              questions that have none yet (after an import
                              or a reindex), a step at a time

Everything else in askwell/search (the engine's parts, the backends, the
vector index, the snapshot, the models) is search's own and may change
without notice. A new capability other apps need is added here, by name.
"""

from __future__ import annotations

from askwell.search.engine import (
    Hit,
    SearchResults,
    hit_to_dict,
    query_vectors,
    related_questions,
    search,
    similar_questions,
    similarity,
)
from askwell.search.indexing import (
    current_version,
    index_now,
    refresh_statistics,
    run_embeddings,
)
from askwell.search.phrases import topic_phrases
from askwell.search.tasks import find_missing_related

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
