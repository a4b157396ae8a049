"""Each question's "Continue learning" candidates, found at write time and
stored (models.RelatedQuestions), so that a question page reads them with
one query by primary key however many questions the site has.

- `refresh(question_ids)`: a background job's step (tasks.index_content),
  after the question or its answers changed: finds their candidates, and
  again those of the questions they are now close to, so that a newly
  answered question enters its neighbours' lists too.
- `fill` and `missing`: the background fill of the questions with no list
  yet (after an import or a reindex: tasks.find_missing_related, hourly).
- `candidates(question, limit)`: what the page reads; on the first visit of
  a question with nothing stored (one imported before its job ran), it finds
  them then and stores them.

Candidates: answered questions on the same topics first, then the nearest
question titles by meaning; the question itself never. The list is about
which questions, not whether each may be shown: engine.related_questions
checks that on the live rows at every read.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import DatabaseError, transaction

from askwell.questions.models import Question
from askwell.search import vector_index
from askwell.search.indexing import current_version
from askwell.search.models import RelatedQuestions, SearchDocument

logger = logging.getLogger(__name__)

# Questions a page shows, at most (the question page shows six).
SHOWN = 6
# Candidates stored per question: twice what a page shows, as some may be
# hidden or lose their answers before the list is found again.
STORED = SHOWN * 2
# A change's job finds the lists of at most this many questions directly;
# a larger batch (a bulk edit) drops theirs, found again at their next visit.
REFRESHED_PER_JOB = 50


def find(question: Question, limit: int, version: int) -> list[int]:
    """Up to `limit` * 2 candidate question ids for `question`, best first:
    the same topics first (in the order of the title's nearest neighbours),
    then the nearest titles."""
    vector = vector_index.vector_of("title", question.pk, version)
    near: list[int] = []
    if vector is not None:
        near = [
            qid
            for qid, _ in vector_index.nearest("title", vector, limit * 8, version)
            if qid != question.pk
        ]
    topic_ids = [t.pk for t in question.topics.all()]
    same_topic = list(
        SearchDocument.objects.filter(question__topics__in=topic_ids)
        .exclude(question_id=question.pk)
        .values_list("question_id", flat=True)
        .distinct()[: limit * 8]
    )
    ordered = sorted(
        dict.fromkeys([*near, *same_topic]),
        key=lambda qid: (
            qid not in same_topic,
            near.index(qid) if qid in near else len(near),
        ),
    )
    return ordered[: limit * 2]


def candidates(question: Question, limit: int = SHOWN) -> list[int]:
    """The candidate ids for a page showing `limit` related questions: the
    stored list (one query), else found now (and stored when `limit` is
    what pages show)."""
    if limit > SHOWN:
        return find(question, limit, current_version())
    stored = (
        RelatedQuestions.objects.filter(pk=question.pk)
        .values_list("question_ids", flat=True)
        .first()
    )
    if stored is not None:
        return list(stored)
    found = find(question, SHOWN, current_version())
    _store({question.pk: found})
    return found


def refresh(question_ids: Iterable[int]) -> None:
    """Find and store the lists of these questions, then of the questions
    now in their lists (a new or newly answered question enters theirs).
    Past REFRESHED_PER_JOB questions, their stored lists are dropped
    instead, to be found at their next visit."""
    ids = sorted(set(question_ids))
    if len(ids) > REFRESHED_PER_JOB:
        RelatedQuestions.objects.filter(pk__in=ids).delete()
        return
    version = current_version()
    found = _find_all(ids, version)
    neighbours = {qid for listed in found.values() for qid in listed} - set(ids)
    found |= _find_all(sorted(neighbours), version)
    _store(found)


def fill(question_ids: Iterable[int]) -> None:
    """Find and store the lists of these questions (no neighbours): the
    background fill after an import or a reindex (tasks.find_missing_related)."""
    _store(_find_all(sorted(set(question_ids)), current_version()))


def missing(after: int, limit: int) -> list[int]:
    """Up to `limit` answered questions past id `after` with no stored list,
    in id order."""
    return list(
        SearchDocument.objects.filter(question_id__gt=after)
        .exclude(question_id__in=RelatedQuestions.objects.values("question_id"))
        .order_by("question_id")
        .values_list("question_id", flat=True)
        .distinct()[:limit]
    )


def forget_all() -> None:
    """Drop every stored list (a full reindex): each is found again at its
    question's next visit or change."""
    RelatedQuestions.objects.all().delete()


def _find_all(ids: list[int], version: int) -> dict[int, list[int]]:
    questions = Question.objects.filter(pk__in=ids).prefetch_related("topics")
    found = {question.pk: find(question, SHOWN, version) for question in questions}
    # A question that is gone keeps no list (its row went with it).
    return found


def _store(found: dict[int, list[int]]) -> None:
    """Write the lists; a page that cannot write (a read-only moment, a
    conflicting writer) still shows what it found."""
    if not found:
        return
    rows = [
        RelatedQuestions(question_id=qid, question_ids=ids)
        for qid, ids in found.items()
    ]
    try:
        with transaction.atomic():
            RelatedQuestions.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["question"],
                update_fields=["question_ids", "found_at"],
            )
    except DatabaseError:
        logger.exception("Could not store related questions; found again next time")
