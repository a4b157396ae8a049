from __future__ import annotations

import factory

from askwell.accounts.tests.factories import UserFactory
from askwell.moderation.models import Flag
from askwell.questions.models import Comment
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    answer = factory.SubFactory(AnswerFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(
        lambda n: f"Comment number {n}: does this apply to children?"
    )


class FlagFactory(factory.django.DjangoModelFactory):
    """An open spam flag on a question (pass answer= or comment= and question=None)."""

    class Meta:
        model = Flag

    reporter = factory.SubFactory(UserFactory)
    question = factory.SubFactory(QuestionFactory)
    reason = Flag.Reason.SPAM
