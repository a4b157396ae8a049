"""The review queues: pending answers and answers due for review again
(when an answer falls due is the questions' rule: questions/queries.py)."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from functools import reduce
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce

from askwell.questions.models import Answer, Question
from askwell.questions.queries import due_cutoff
from askwell.review.permissions import conflicts, without_conflicts
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
        .filter(_due_condition())
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
    return rows.filter(_filter_condition(topic, specialty))


def _due_condition() -> Q:
    """due()'s rule as one condition: marked for re-review, or approved and
    last reviewed (else published) before the cutoff."""
    cutoff = due_cutoff()
    return Q(review_state=Answer.Review.NEEDS_RE_REVIEW) | Q(
        Q(reviewed_at__lt=cutoff) | Q(reviewed_at__isnull=True, created_at__lt=cutoff),
        review_state=Answer.Review.PUBLISHED,
    )


def _filter_condition(topic: Topic | None, specialty: str) -> Q:
    condition = Q()
    if topic is not None:
        condition &= Q(question__in=Question.objects.for_topics(topic.descendant_ids()))
    if specialty:
        condition &= Q(contributor__specialty__iexact=specialty)
    return condition


@dataclass(frozen=True)
class QueueCounts:
    """The numbers the review page shows, for one reviewer."""

    pending: int  # the Pending tab: answers they may review
    due: int  # the Due tab: likewise
    listed: int  # in the queue shown, after its filters
    left_to_others: int  # in that queue, answers only others may review


def queue_counts(
    reviewer: User,
    *,
    kind: str = "pending",
    topic: Topic | None = None,
    specialty: str = "",
) -> QueueCounts:
    """The counts of pending() and due() for `reviewer`, and of the queue
    `kind` with its filters for them and for anyone, in one query (the same
    conditions as the listings, counted side by side)."""
    allowed = ~reduce(operator.or_, conflicts(reviewer).values())
    pending_condition = Q(review_state=Answer.Review.PENDING)
    due_condition = _due_condition()
    listed = (due_condition if kind == "due" else pending_condition) & (
        _filter_condition(topic, specialty)
    )
    found = Answer.objects.filter(status=Answer.Status.PUBLISHED).aggregate(
        pending=Count("pk", filter=pending_condition & allowed),
        due=Count("pk", filter=due_condition & allowed),
        listed=Count("pk", filter=listed & allowed),
        listed_by_anyone=Count("pk", filter=listed),
    )
    return QueueCounts(
        pending=found["pending"],
        due=found["due"],
        listed=found["listed"],
        left_to_others=found["listed_by_anyone"] - found["listed"],
    )
