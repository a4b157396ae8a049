"""The one scoring function that orders search results.

Each candidate answer gets features from the retrieval lists it appeared in
(lexical BM25 rank, semantic rank of its passage, semantic rank of its
question's title) and from question understanding (does its question's topic
match the focus, does its question type match what the reader asks), plus
trust signals. The score is a weighted sum:

    score = lexical · 1/(k + rank_lexical)
          + passage · 1/(k + rank_passage)  +  passage_cosine · cos(query, passage)
          + question · 1/(k + rank_question) + question_cosine · cos(query, title)
          + focus · focus_match + type · type_match + focus_and_type · both
          + verified · contributor_verified

Reciprocal-rank terms fuse lists whose raw scores are not comparable; the
cosine terms keep how close a semantic match is. Weights come from
`ASKWELL_SEARCH_WEIGHTS` (a JSON object in the environment) over the defaults
below, which were set on the development sets (bench/search_quality.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

RRF_K = 60

DEFAULT_WEIGHTS: dict[str, float] = {
    "lexical": 20.0,
    "passage": 20.0,
    "passage_cosine": 1.0,
    "question": 20.0,
    "question_cosine": 1.0,
    "focus": 0.5,
    "type": 0.25,
    "focus_and_type": 0.35,
    "verified": 0.02,
}


def weights() -> dict[str, float]:
    return {**DEFAULT_WEIGHTS, **getattr(settings, "ASKWELL_SEARCH_WEIGHTS", {})}


@dataclass
class Features:
    rank_lexical: int | None = None
    rank_passage: int | None = None
    rank_question: int | None = None
    passage_cosine: float = 0.0
    question_cosine: float = 0.0
    focus_match: float = 0.0
    type_match: float = 0.0
    verified: float = 0.0
    extra: dict[str, float] = field(default_factory=dict)


def _rrf(rank: int | None) -> float:
    return 0.0 if rank is None else 1.0 / (RRF_K + rank)


def score(f: Features, w: dict[str, float]) -> float:
    return (
        w["lexical"] * _rrf(f.rank_lexical)
        + w["passage"] * _rrf(f.rank_passage)
        + w["passage_cosine"] * f.passage_cosine
        + w["question"] * _rrf(f.rank_question)
        + w["question_cosine"] * f.question_cosine
        + w["focus"] * f.focus_match
        + w["type"] * f.type_match
        + w["focus_and_type"] * f.focus_match * f.type_match
        + w["verified"] * f.verified
    )
