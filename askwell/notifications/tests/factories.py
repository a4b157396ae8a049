from __future__ import annotations

from types import SimpleNamespace

import factory

from askwell.accounts.models import User
from askwell.accounts.tests.factories import UserFactory
from askwell.notifications.models import (
    Kind,
    Notification,
    Preference,
    QuestionFollow,
    SavedQuestion,
    TopicFollow,
)
from askwell.questions.tests.factories import QuestionFactory
from askwell.topics.tests.factories import TopicFactory


class PreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Preference

    user = factory.SubFactory(UserFactory)


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = Kind.ANSWER_POSTED
    question = factory.SubFactory(QuestionFactory)
    url = factory.LazyAttribute(lambda n: n.question.get_absolute_url())
    text = factory.Sequence(lambda n: f"Dr Example answered question {n}")


class TopicFollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TopicFollow

    user = factory.SubFactory(UserFactory)
    topic = factory.SubFactory(TopicFactory)


class QuestionFollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionFollow

    user = factory.SubFactory(UserFactory)
    question = factory.SubFactory(QuestionFactory)


class SavedQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SavedQuestion

    user = factory.SubFactory(UserFactory)
    question = factory.SubFactory(QuestionFactory)


def comment_on(answer: object, *, author: User | None, pk: int = 1) -> SimpleNamespace:
    """A stand-in for a comment (the comments app owns the model): what
    `notify_comment_posted` reads of one."""
    return SimpleNamespace(
        pk=pk,
        answer=answer,
        author=author,
        get_absolute_url=lambda: f"{answer.question.get_absolute_url()}#comment-{pk}",
    )
