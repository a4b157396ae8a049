"""The review queues: pending answers and answers due for review again
(when an answer falls due is the questions' rule: questions/queries.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from askwell.questions.models import Answer, Question
from askwell.questions.queries import due_cutoff
from askwell.review.permissions import without_conflicts
from askwell.topics.models import Topic

if TYPE_CHECKING:
    from askwell.accounts.models import User


def _base() -> QuerySet[Answer]:
    return Answer.objects.filter(status=Answer.Status.PUBLISHED).select_related(
        "question", "contributor"
    )


def pending(
    *, topic: Topic | None = None, specialty: str = "", reviewer: User | None = None
) -> QuerySet[Answer]:
    """Answers waiting for a first review of their current text, oldest
    first; with `reviewer`, only those they may review."""
    rows = _base().filter(review_state=Answer.Review.PENDING)
    return _filtered(rows, topic, specialty, reviewer).order_by("updated_at", "pk")


def due(
    *, topic: Topic | None = None, specialty: str = "", reviewer: User | None = None
) -> QuerySet[Answer]:
    """Reviewed answers whose review is older than ASKWELL_REVIEW_DAYS, or
    marked for re-review; the longest overdue first. With `reviewer`, only
    those they may review."""
    rows = (
        _base()
        .annotate(last_reviewed_at=Coalesce("reviewed_at", "created_at"))
        .filter(
            Q(review_state=Answer.Review.NEEDS_RE_REVIEW)
            | Q(review_state=Answer.Review.PUBLISHED, last_reviewed_at__lt=due_cutoff())
        )
    )
    # last_reviewed_at is annotated above; _filtered()'s QuerySet[Answer] type
    # loses it.
    return _filtered(rows, topic, specialty, reviewer).order_by(  # type: ignore[misc]  # annotated above
        "last_reviewed_at", "pk"
    )


def _filtered(
    rows: QuerySet[Answer],
    topic: Topic | None,
    specialty: str,
    reviewer: User | None,
) -> QuerySet[Answer]:
    if reviewer is not None:
        rows = without_conflicts(rows, reviewer)
    if topic is not None:
        rows = rows.filter(
            question__in=Question.objects.for_topics(topic.descendant_ids())
        )
    if specialty:
        rows = rows.filter(contributor__specialty__iexact=specialty)
    return rows
