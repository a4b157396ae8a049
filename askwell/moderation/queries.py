"""Reads that depend on moderation: the queues, what may be reported, and
what the question page shows about moderation. Which questions each person
may open is the questions' rule (questions/queries.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from askwell.moderation.models import Target
from askwell.moderation.permissions import can_moderate
from askwell.questions.models import Answer, Comment, Question
from askwell.questions.queries import questions_visible_to

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from askwell.accounts.models import User


def flaggable(user: User | AnonymousUser, kind: str, pk: int) -> Target:
    """The item `kind` `pk` if `user` can see it, or Http404 (one query, with
    what the report form shows of it)."""
    if kind == "question":
        return get_object_or_404(questions_visible_to(user), pk=pk)
    if kind == "answer":
        return get_object_or_404(
            Answer.objects.published()
            .filter(question__moderation=Question.Moderation.VISIBLE)
            .select_related("question", "contributor"),
            pk=pk,
        )
    if kind == "comment":
        return get_object_or_404(
            Comment.objects.filter(status=Comment.Status.PUBLISHED)
            .filter(Answer.published_q("answer__"))
            .select_related("answer__question"),
            pk=pk,
        )
    raise Http404("Only questions, answers and comments can be reported.")


def held_questions() -> QuerySet[Question]:
    """The first-review queue: held questions, oldest first, with their askers."""
    return (
        Question.objects.filter(moderation=Question.Moderation.HELD)
        .select_related("asker")
        .order_by("created_at", "pk")
    )


def removed_questions() -> QuerySet[Question]:
    return Question.objects.filter(
        moderation__in=[Question.Moderation.HIDDEN, Question.Moderation.DELETED]
    ).order_by("-updated_at", "-pk")


def removed_answers() -> QuerySet[Answer]:
    return (
        Answer.objects.filter(status__in=[Answer.Status.HIDDEN, Answer.Status.DELETED])
        .select_related("question", "contributor")
        .order_by("-updated_at", "-pk")
    )


def removed_comments() -> QuerySet[Comment]:
    return (
        Comment.objects.filter(
            status__in=[Comment.Status.HIDDEN, Comment.Status.DELETED]
        )
        .select_related("answer__question", "author")
        .order_by("-updated_at", "-pk")
    )


@dataclass
class QuestionModeration:
    """What the question page shows about moderation, to one person."""

    can_moderate: bool
    duplicate_of: Question | None = None
    duplicates: list[Question] = field(default_factory=list)


def question_moderation(
    user: User | AnonymousUser, question: Question
) -> QuestionModeration:
    """The duplicate links and the editor's controls of one question page.

    No query for a question that is neither a duplicate nor has duplicates,
    when it comes from `questions.queries.question_pages_visible_to`
    (`has_duplicates`).
    """
    state = QuestionModeration(can_moderate=can_moderate(user))
    if question.duplicate_of_id is not None:
        state.duplicate_of = (
            Question.objects.visible().filter(pk=question.duplicate_of_id).first()
        )
    if getattr(question, "has_duplicates", True):
        state.duplicates = list(
            Question.objects.visible()
            .filter(duplicate_of=question)
            .order_by("created_at", "pk")
        )
    return state
