"""Reads on questions and answers that depend on who is asking."""

from __future__ import annotations

from typing import TYPE_CHECKING

from askwell.questions.models import Answer, Comment, Question

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser


def has_published(user: AbstractUser) -> bool:
    """Whether readers can see anything `user` posted: a visible question, a
    published answer or a published comment."""
    return (
        Question.objects.visible().filter(asker=user).exists()
        or Answer.objects.published().filter(author=user).exists()
        or Comment.objects.filter(author=user, status=Comment.Status.PUBLISHED).exists()
    )
