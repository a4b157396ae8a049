"""Following topics and questions and saving questions: idempotent, readers only."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from askwell.notifications import actions
from askwell.notifications.models import QuestionFollow, SavedQuestion, TopicFollow
from askwell.notifications.tests.factories import (
    QuestionFollowFactory,
    SavedQuestionFactory,
    TopicFollowFactory,
)
from askwell.questions.tests.factories import QuestionFactory
from askwell.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


def test_follow_topic_creates_one_follow_even_when_repeated(reader):
    # given
    topic = TopicFactory()
    # when
    first = actions.follow_topic(reader, topic)
    second = actions.follow_topic(reader, topic)
    # then
    assert first == second
    assert TopicFollow.objects.get().user == reader
    assert TopicFollow.objects.get().topic == topic


def test_unfollow_topic_removes_only_that_follow(reader):
    # given
    topic, other = TopicFactory(), TopicFactory()
    TopicFollowFactory(user=reader, topic=topic)
    kept = TopicFollowFactory(user=reader, topic=other)
    # when
    actions.unfollow_topic(reader, topic)
    actions.unfollow_topic(reader, topic)
    # then
    assert list(TopicFollow.objects.all()) == [kept]


def test_follow_question_creates_one_follow_even_when_repeated(reader):
    # given
    question = QuestionFactory()
    # when
    actions.follow_question(reader, question)
    actions.follow_question(reader, question)
    # then
    follow = QuestionFollow.objects.get()
    assert (follow.user, follow.question) == (reader, question)


def test_unfollow_question_removes_only_that_readers_follow(reader, stranger):
    # given
    question = QuestionFactory()
    QuestionFollowFactory(user=reader, question=question)
    kept = QuestionFollowFactory(user=stranger, question=question)
    # when
    actions.unfollow_question(reader, question)
    actions.unfollow_question(reader, question)
    # then
    assert list(QuestionFollow.objects.all()) == [kept]


def test_save_question_creates_one_saved_question_even_when_repeated(reader):
    # given
    question = QuestionFactory()
    # when
    actions.save_question(reader, question)
    actions.save_question(reader, question)
    # then
    saved = SavedQuestion.objects.get()
    assert (saved.user, saved.question) == (reader, question)


def test_unsave_question_removes_the_saved_question(reader):
    # given
    question = QuestionFactory()
    SavedQuestionFactory(user=reader, question=question)
    # when
    actions.unsave_question(reader, question)
    actions.unsave_question(reader, question)
    # then
    assert not SavedQuestion.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "inactive"])
@pytest.mark.parametrize(
    ("action", "target"),
    [
        (actions.follow_topic, "topic"),
        (actions.follow_question, "question"),
        (actions.save_question, "question"),
    ],
)
def test_only_readers_may_follow_or_save(who, action, target, inactive_user):
    # given
    user = AnonymousUser() if who == "anonymous" else inactive_user
    obj = TopicFactory() if target == "topic" else QuestionFactory()
    # when
    with pytest.raises(PermissionDenied):
        action(user, obj)
    # then
    assert not TopicFollow.objects.exists()
    assert not QuestionFollow.objects.exists()
    assert not SavedQuestion.objects.exists()


@pytest.mark.parametrize(
    ("action", "factory", "field"),
    [
        (actions.unfollow_topic, TopicFollowFactory, "topic"),
        (actions.unfollow_question, QuestionFollowFactory, "question"),
        (actions.unsave_question, SavedQuestionFactory, "question"),
    ],
)
def test_an_account_made_inactive_cannot_unfollow_or_unsave(
    action, factory, field, inactive_user
):
    # given
    existing = factory(user=inactive_user)
    # when
    with pytest.raises(PermissionDenied):
        action(inactive_user, getattr(existing, field))
    # then
    assert type(existing).objects.get() == existing
