"""Askwell's search engine: the only module the rest of the code calls for search.

    search(text)             answers ranked best first (search page, CLI, API)
    similar_questions(text)  answered questions close to a question being typed
    related_questions(q)     "continue learning" on a question page
    similarity(a, b)         0–1 score of two questions being the same question

Retrieval runs a lexical search (FTS5 or PostgreSQL full text), a semantic
search over answer passages and over question titles (sentence embeddings),
and a focus lookup (topics named in the text); ranking.py scores the union.
Without an embedding model the engine works lexically, with a warning.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Prefetch

from askwell.language.text import content_words, words
from askwell.language.understanding import (
    TopicPhrases,
    Understanding,
    find_types,
    understand,
)
from askwell.questions.models import Answer, Question
from askwell.search import close_match, ranking, related, snapshot, vector_index
from askwell.search.backends import LexicalQuery, backend
from askwell.search.embeddings import adapt, get_embedder, similarity_adapter
from askwell.search.indexing import current_version
from askwell.search.phrases import topic_phrases
from askwell.search.spelling import FocusSpelling

logger = logging.getLogger(__name__)

CANDIDATES = 100
QUESTION_CANDIDATES = 100
FOCUS_CANDIDATES = 100
MAX_QUERY_WORDS = 32
# Below this cosine a semantic neighbour is noise, not a match: gibberish
# should find nothing rather than the least unlike answers.
MIN_COSINE = 0.25
MAX_SUBTOPICS = 200
# How much agreeing question types add to similarity() (see there).
SAME_TYPE = 0.2
# The type agreement similarity() assumes when either question has no
# indexed neighbours to vote on its type: the same for every such pair, so
# without content the score orders pairs exactly as the cosine does.
UNKNOWN_AGREEMENT = 0.5
# The weight of the nearest questions' types beside the wording rules' scores
# (see _types_with_neighbours; set on the LiveQA questions' type annotations).
NEIGHBOUR_TYPES = 2.0
# Long messages are embedded from their questions, not their background; this
# also keeps a query's embedding under about 10 ms on two cores.
EMBED_QUERY_WORDS = 48

_warned = threading.Event()


@dataclass
class Hit:
    answer: Answer
    score: float
    features: ranking.Features

    @property
    def question(self) -> Question:
        return self.answer.question


def hit_to_dict(hit: Hit) -> dict[str, Any]:
    """A hit as the API and `askwell search --json` print it."""
    answer = hit.answer
    return {
        "answer_id": answer.pk,
        "external_id": answer.external_id,
        "question_id": answer.question_id,
        "question": answer.question.title,
        "contributor": answer.contributor.signature,
        "score": round(hit.score, 6),
    }


@dataclass
class SearchResults:
    text: str
    understanding: Understanding
    hits: list[Hit] = field(default_factory=list)
    semantic: bool = False
    vector: np.ndarray | None = None  # the embedding of query_passage(text)
    # Whether the top answer probably answers the text (close_match.py), and
    # what that judgement read.
    close_match: bool = False
    close_features: list[float] | None = None
    # Whether understanding.types holds the nearest questions' type votes.
    neighbour_types: bool = False

    @property
    def terms(self) -> list[str]:
        """Words and phrases to highlight in excerpts."""
        return [*content_words(self.text), *self.understanding.expansions]


def _query_vector(text: str) -> np.ndarray | None:
    embedder = get_embedder()
    if embedder is None:
        if not _warned.is_set():
            _warned.set()
            logger.warning(
                "No embedding model is installed: search runs on lexical matching only."
            )
        return None
    vector: np.ndarray = embedder.embed([query_passage(text)])[0]
    return vector


def query_vectors(texts: list[str]) -> list[np.ndarray] | None:
    """The embeddings search() would compute for each text, in one batched run
    of the model (several times faster per query than one at a time); None
    without a model."""
    embedder = get_embedder()
    if embedder is None:
        return None
    return list(embedder.embed([query_passage(text) for text in texts]))


_SENTENCES = re.compile(r"[^.?!\n]+[.?!]*")


def query_passage(text: str, limit: int = EMBED_QUERY_WORDS) -> str:
    """What of a reader's message to embed: all of a short one; for a long one,
    its first sentence (often a subject line) and the sentences that ask."""
    if len(text.split()) <= limit:
        return text
    sentences = [s.strip() for s in _SENTENCES.findall(text) if s.strip()]
    chosen = [sentences[0]] + [s for s in sentences[1:] if s.endswith("?")]
    if len(chosen) == 1 and len(sentences) > 1:
        chosen.append(sentences[-1])
    return " ".join(" ".join(chosen).split()[:limit])


def _lexical_query(text: str, understanding: Understanding) -> LexicalQuery:
    terms = content_words(text)[:MAX_QUERY_WORDS]
    single = [t for t in understanding.expansions if len(t.split()) == 1]
    phrases = [t for t in understanding.expansions if len(t.split()) > 1]
    focus_words = {w for m in understanding.focus for w in content_words(m.phrase)}
    return LexicalQuery(
        tuple(dict.fromkeys([*terms, *(w.casefold() for w in single)])),
        tuple(phrases),
        frozenset(focus_words),
    )


def search(
    text: str,
    *,
    limit: int = 10,
    topic_ids: Iterable[int] | None = None,
    question_types: Iterable[str] | None = None,
    contributor_kinds: Iterable[str] | None = None,
    vector: np.ndarray | None = None,
) -> SearchResults:
    """Published answers for `text`, best first, optionally filtered.

    `vector` is the text's embedding when the caller computed it already
    (`query_vectors`, for many queries at once); otherwise it is computed here.
    """
    version = current_version()
    phrases = topic_phrases(version)
    understanding = understand(text, phrases, focus_spelling(version))
    results = SearchResults(text, understanding)
    if not words(text):
        return results
    features: dict[int, ranking.Features] = defaultdict(ranking.Features)

    for rank, (answer_id, _) in enumerate(
        backend().search(_lexical_query(text, understanding), CANDIDATES, version), 1
    ):
        features[answer_id].rank_lexical = rank

    query_vector = _query_vector(text) if vector is None else vector
    question_scores: dict[int, tuple[int, float]] = {}
    if query_vector is not None:
        results.semantic = True
        results.vector = query_vector
        passages = vector_index.nearest("passage", query_vector, CANDIDATES, version)
        close = [(pk, cos) for pk, cos in passages if cos >= MIN_COSINE]
        for rank, (answer_id, cosine) in enumerate(close, 1):
            features[answer_id].rank_passage = rank
            features[answer_id].passage_cosine = cosine
        nearest_questions = vector_index.nearest(
            "title", query_vector, QUESTION_CANDIDATES, version
        )
        question_scores = {
            qid: (rank, cos)
            for rank, (qid, cos) in enumerate(nearest_questions, 1)
            if cos >= MIN_COSINE
        }

    snap = snapshot.get(version)
    focus_weight = _focus_weights(snap, understanding.focus_ids, phrases)
    candidates = _candidate_documents(
        snap, features.keys(), question_scores.keys(), list(focus_weight)
    )
    if question_scores:
        type_of = {row[1]: row[2] for row in candidates}
        understanding = replace(
            understanding,
            types=_types_with_neighbours(understanding.types, question_scores, type_of),
        )
        results.understanding = understanding
        results.neighbour_types = any(qid in type_of for qid in question_scores)
    # Scores relative to the best type; no type (or none scoring) matches nothing.
    top = (understanding.types[0][1] if understanding.types else 0.0) or 1.0
    types = {t: score / top for t, score in understanding.types[:3]}
    question_ids = list({row[1] for row in candidates})
    topics_of = snap.topics_of_many(question_ids)
    passage_cosines: dict[int, float] = {}
    title_cosines: dict[int, float] = {}
    if query_vector is not None:
        passage_cosines = vector_index.cosines(
            "passage", query_vector, [row[0] for row in candidates], version
        )
        title_cosines = vector_index.cosines(
            "title", query_vector, question_ids, version
        )
    for answer_id, question_id, question_type, verified in candidates:
        f = features[answer_id]
        f.verified = 1.0 if verified else 0.0
        f.passage_cosine = passage_cosines.get(answer_id, f.passage_cosine)
        f.question_cosine = title_cosines.get(question_id, 0.0)
        if question_id in question_scores:
            f.rank_question = question_scores[question_id][0]
        f.focus_match = max(
            (focus_weight.get(t, 0.0) for t in topics_of[question_id]),
            default=0.0,
        )
        f.type_match = types.get(question_type, 0.0)

    weights = ranking.weights()
    scored = sorted(
        ((ranking.score(f, weights), answer_id) for answer_id, f in features.items()),
        key=lambda item: (-item[0], item[1]),
    )
    hits = _fetch_hits(
        scored, features, topic_ids, question_types, contributor_kinds, limit
    )
    results.hits = hits
    if hits:
        results.close_features = close_match.feature_values(hits[0].features)
        results.close_match = close_match.is_close(results.close_features)
    return results


_spelling: tuple[int, FocusSpelling] | None = None


def focus_spelling(version: int) -> FocusSpelling:
    """Spelling corrections for question understanding, one set per index version."""
    global _spelling
    current = _spelling
    if current is None or current[0] != version:
        lexical = backend()
        current = (
            version,
            FocusSpelling(version, lambda w: lexical.document_count(w, version)),
        )
        _spelling = current
    return current[1]


def _types_with_neighbours(
    rule_types: tuple[tuple[str, float], ...],
    neighbours: dict[int, tuple[int, float]],
    type_of: dict[int, str],
) -> tuple[tuple[str, float], ...]:
    """The wording rules' question types, plus the types of the nearest questions.

    The indexed questions closest in meaning to the reader's text vote for
    their own type, each with its cosine; the votes, as shares summing to
    NEIGHBOUR_TYPES, are added to the rules' scores. The rules read cue words
    ("what causes"); the neighbours catch what is asked without them ("how
    do you know when you have it" is close to "what are the symptoms of").
    On the LiveQA questions the two together name the annotated type 57 % of
    the time, the rules alone 48 %, the neighbours alone 47 %.
    """
    votes: dict[str, float] = defaultdict(float)
    for question_id, (_, cosine) in neighbours.items():
        if question_id in type_of:
            votes[type_of[question_id]] += cosine
    total = sum(votes.values())
    scores = dict(rule_types)
    for question_type, vote in votes.items():
        scores[question_type] = (
            scores.get(question_type, 0.0) + NEIGHBOUR_TYPES * vote / total
        )
    return tuple(sorted(scores.items(), key=lambda item: (-item[1], item[0])))


def _focus_weights(
    snap: snapshot.Features, focus_ids: list[int], phrases: TopicPhrases
) -> dict[int, float]:
    """Each focus topic, the topics named the same and their subtopics,
    weighted by the focus's rank.

    A question filed under "Multiple Sclerosis Treatment" is about multiple
    sclerosis too; subtopics count a little less than the topic itself. A
    topic imported from another source under another form of the name
    ("Wilson's disease") counts as the focus itself.
    """
    weights: dict[int, float] = {}
    for rank, focus_id in enumerate(focus_ids):
        base = 1.0 / (rank + 1)
        for topic_id in [focus_id, *phrases.same_as(focus_id)]:
            for pk in snap.descendants(topic_id, MAX_SUBTOPICS):
                weights.setdefault(pk, 0.8 * base)
            weights[topic_id] = max(weights.get(topic_id, 0.0), base)
    return weights


def _candidate_documents(
    snap: snapshot.Features,
    answer_ids: Iterable[int],
    question_ids: Iterable[int],
    focus_ids: list[int],
) -> list[tuple[int, int, str, bool]]:
    """(answer_id, question_id, question_type, verified) of every candidate, including the
    answers of semantically close questions and of questions about the focus."""
    about_focus = snap.questions_about(focus_ids, FOCUS_CANDIDATES)
    return snap.documents(
        [*answer_ids, *snap.answers_of([*question_ids, *about_focus])]
    )


def _fetch_hits(
    scored: list[tuple[float, int]],
    features: dict[int, ranking.Features],
    topic_ids: Iterable[int] | None,
    question_types: Iterable[str] | None,
    contributor_kinds: Iterable[str] | None,
    limit: int,
) -> list[Hit]:
    """The best `limit` of `scored` that are published and pass the filters.

    Visibility is checked here, against the live answer rows, so nothing
    hidden since it was indexed can appear. Candidates are fetched best
    first in growing slices; unless filters reject most of them, the first
    slice fills the page.
    """
    hits: list[Hit] = []
    checked, size = 0, max(2 * limit, 20)
    while checked < len(scored) and len(hits) < limit:
        chunk = scored[checked : checked + size]
        checked += len(chunk)
        size *= 2
        rows = Answer.objects.published().filter(pk__in=[pk for _, pk in chunk])
        if topic_ids:
            rows = rows.filter(question__topics__in=list(topic_ids))
        if question_types:
            rows = rows.filter(question__question_type__in=list(question_types))
        if contributor_kinds:
            rows = rows.filter(contributor__kind__in=list(contributor_kinds))
        found = {a.pk: a for a in rows.select_related("question", "contributor")}
        hits.extend(
            Hit(found[answer_id], value, features[answer_id])
            for value, answer_id in chunk
            if answer_id in found
        )
    return hits[:limit]


# --- questions ---------------------------------------------------------------------


def similar_questions(
    text: str, *, limit: int = 5, exclude: int | None = None
) -> list[tuple[Question, float]]:
    """Answered questions that ask what `text` asks, most similar first.

    Search finds the candidates; each is scored with similarity() against
    `text` (from the stored title vectors), so the score is the one
    `askwell similarity` prints, and questions below
    ASKWELL_SIMILAR_MIN_SCORE are left out. Each question comes with
    `published_answers` loaded (display order).
    """
    if not words(text):
        return []
    found: dict[int, str] = {}
    results = search(text, limit=limit * 4)
    for hit in results.hits:
        if hit.question.pk != exclude:
            found.setdefault(hit.question.pk, hit.question.title)
    candidates = dict(list(found.items())[: limit * 2])
    scores = _similarities(text, candidates, results)
    least = settings.ASKWELL_SIMILAR_MIN_SCORE
    ranked = sorted(
        (qid for qid in candidates if scores[qid] >= least),
        key=lambda qid: (-scores[qid], qid),
    )
    return [(q, scores[q.pk]) for q in _answered_questions(ranked)[:limit]]


def _similarities(
    text: str, titles: dict[int, str], results: SearchResults
) -> dict[int, float]:
    """similarity(text, title) of each indexed question, from its stored vector.

    The search for `text` has embedded it and found its type profile
    already, unless it embedded a shortened message (query_passage).
    """
    embedder = get_embedder()
    if embedder is None or not titles:
        return {qid: similarity(text, title) for qid, title in titles.items()}
    version = current_version()
    profile: dict[str, float] | None
    if results.vector is not None and query_passage(text) == text:
        vector = results.vector
        profile = dict(results.understanding.types) if results.neighbour_types else None
    else:
        vector = embedder.embed([text])[0]
        profile = _type_profile(text, vector, version)
    adapter = similarity_adapter(embedder)
    if adapter is None:
        cosines = vector_index.cosines("title", vector, list(titles), version)
    else:
        mapped = adapt(vector, adapter)
        cosines = {}
        for qid in titles:
            stored = vector_index.vector_of("title", qid, version)
            if stored is not None:
                cosines[qid] = float(mapped @ adapt(stored, adapter))
    scores = {}
    for qid, title in titles.items():
        if qid not in cosines:  # no stored vector yet: embed the title
            scores[qid] = similarity(text, title)
            continue
        scores[qid] = _pair_score(
            cosines[qid], profile, _title_profile(qid, title, version)
        )
    return scores


@functools.lru_cache(maxsize=20_000)
def _title_profile(
    question_id: int, title: str, version: int
) -> dict[str, float] | None:
    vector = vector_index.vector_of("title", question_id, version)
    if vector is None:
        return None
    return _type_profile(title, vector, version)


def related_questions(question: Question, *, limit: int = 6) -> list[Question]:
    """Answered questions to read next: same topic first, then semantically close ones.

    The candidates are stored per question (search/related.py: found by a
    job when the question or its answers change, or at the page's first
    visit), so a page reads them with one query however large the site.
    Whether each may be shown is checked against the live rows every time.
    """
    return _answered_questions(related.candidates(question, limit))[:limit]


def forget_related() -> None:
    """Stop using cached title type profiles and spelling corrections
    (tests: a rollback restores old versions)."""
    global _spelling
    _spelling = None
    _title_profile.cache_clear()


def _answered_questions(question_ids: list[int]) -> list[Question]:
    answers = Prefetch(
        "answers",
        queryset=Answer.objects.published()
        .ordered_for_display()
        .select_related("contributor"),
        to_attr="published_answers",
    )
    found = {
        q.pk: q
        for q in Question.objects.visible()
        .filter(pk__in=question_ids)
        .prefetch_related(answers)
    }
    return [
        found[qid]
        for qid in question_ids
        # published_answers is the Prefetch's to_attr, which the stubs lose
        # once the rows are values of a dict.
        if qid in found and found[qid].published_answers  # type: ignore[attr-defined]  # prefetched above (to_attr)
    ]


def similarity(a: str, b: str) -> float:
    """How likely two questions ask the same thing, from 0 to 1.

    The cosine of the two texts' embeddings, plus SAME_TYPE times how much
    their question types agree ("what causes X" and "how is X treated"
    share words but not meaning). Each text's types are a profile: the
    wording rules' scores plus the votes of the indexed questions nearest to
    it (as in search), compared as vectors. The profile counts only when
    both texts have neighbours that vote: the rules alone lowered held-out
    ROC-AUC on a site with no content (0.908 against the cosine's 0.926), so
    without neighbours every pair gets the same UNKNOWN_AGREEMENT and the
    score orders pairs as the cosine does. Without an embedding model it
    falls back to word overlap and the rules' types. `askwell similarity`
    prints it for tuning.
    """
    embedder = get_embedder()
    if embedder is None:
        first, second = find_types(a), find_types(b)
        agreement = 0.0
        if first and second:
            agreement = 0.1 if first[0][0] == second[0][0] else -0.1
        wa, wb = set(content_words(a)), set(content_words(b))
        overlap = len(wa & wb) / max(len(wa | wb), 1)
        return float(np.clip(overlap + agreement, 0.0, 1.0))
    va, vb = embedder.embed([a, b])
    version = current_version()
    sa, sb = adapt(np.stack([va, vb]), similarity_adapter(embedder))
    return _pair_score(
        float(sa @ sb), _type_profile(a, va, version), _type_profile(b, vb, version)
    )


def _pair_score(
    cosine: float, first: dict[str, float] | None, second: dict[str, float] | None
) -> float:
    """similarity() from a cosine and the two type profiles (None: no neighbours)."""
    if first is None or second is None:
        return _similarity_score(cosine, UNKNOWN_AGREEMENT)
    return _similarity_score(cosine, _agreement(first, second))


def _similarity_score(cosine: float, agreement: float) -> float:
    """Cosine (-1..1) and type agreement (0..1) as one 0–1 score."""
    raw = float(np.clip(cosine, -1.0, 1.0)) + 1.0 + SAME_TYPE * agreement
    return float(np.clip(raw / (2.0 + SAME_TYPE), 0.0, 1.0))


def _type_profile(
    text: str, vector: np.ndarray, version: int
) -> dict[str, float] | None:
    """The question types of `text`: the rules' scores and its nearest
    questions' votes; None when no indexed question near it votes."""
    nearest = vector_index.nearest("title", vector, QUESTION_CANDIDATES, version)
    neighbours = {
        qid: (rank, cos)
        for rank, (qid, cos) in enumerate(nearest, 1)
        if cos >= MIN_COSINE
    }
    snap = snapshot.get(version)
    type_of = {
        row[1]: row[2] for row in snap.documents(snap.answers_of(list(neighbours)))
    }
    if not any(qid in type_of for qid in neighbours):
        return None
    return dict(_types_with_neighbours(tuple(find_types(text)), neighbours, type_of))


def _agreement(first: dict[str, float], second: dict[str, float]) -> float:
    """The cosine of two type profiles: 1 when they ask alike, 0 when nothing is shared."""
    dot = sum(score * second.get(name, 0.0) for name, score in first.items())
    norms = np.sqrt(
        sum(v * v for v in first.values()) * sum(v * v for v in second.values())
    )
    return float(dot / norms) if norms else 0.0
