"""Reads on questions and answers that depend on who is asking, or on the
time: which questions a person may open, and when an answer's medical
review falls due. Moderation and review apply these rules; questions
owns them, so the question page needs neither app.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from askwell.accounts.roles import is_editor, is_reader
from askwell.questions.models import Answer, Comment, Question, QuestionQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from askwell.accounts.models import User


def questions_visible_to(user: User | AnonymousUser) -> QuestionQuerySet:
    """Questions `user` may open: visible ones for everyone, every one for
    editors (hidden and deleted pages show a banner), and their own held
    questions for askers (with a "waiting for review" note).

    No extra query for anonymous readers; for others the editor check is read
    once per request (roles.is_editor caches it on the user).
    """
    questions = Question.objects.all()
    # Editors are who moderate (moderation.permissions.can_moderate).
    if is_editor(user):
        return questions
    if is_reader(user):
        return questions.filter(
            Q(moderation=Question.Moderation.VISIBLE)
            | Q(moderation=Question.Moderation.HELD, asker=user)
        )
    return questions.visible()


def question_pages_visible_to(user: User | AnonymousUser) -> QuerySet[Question]:
    """`questions_visible_to(user)`, each annotated with `has_duplicates`.

    The question page lists the questions closed as duplicates of it; the
    EXISTS in the same query saves a query on every page that has none.
    """
    duplicates = Question.objects.visible().filter(duplicate_of=OuterRef("pk"))
    return questions_visible_to(user).annotate(has_duplicates=Exists(duplicates))


def due_cutoff() -> datetime:
    return timezone.now() - timedelta(days=settings.ASKWELL_REVIEW_DAYS)


def is_overdue(answer: Answer) -> bool:
    """A reviewed answer whose last review (or, never reviewed here, its
    publication) is older than the review period."""
    if answer.review_state == Answer.Review.NEEDS_RE_REVIEW:
        return True
    if answer.review_state != Answer.Review.PUBLISHED:
        return False
    return (answer.reviewed_at or answer.created_at) < due_cutoff()


def has_published(user: User) -> bool:
    """Whether readers can see anything `user` posted: a visible question, a
    published answer or a published comment."""
    return (
        Question.objects.visible().filter(asker=user).exists()
        or Answer.objects.published().filter(author=user).exists()
        or Comment.objects.filter(author=user, status=Comment.Status.PUBLISHED).exists()
    )
