"""A new question notifies the followers of its topics and of the topics above them."""

from __future__ import annotations

import pytest

from askwell.accounts.tests.factories import UserFactory
from askwell.notifications import actions
from askwell.notifications.models import Kind, Notification
from askwell.notifications.tests.factories import PreferenceFactory, TopicFollowFactory
from askwell.questions.tests.factories import QuestionFactory
from askwell.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def topics():
    neurology = TopicFactory(name="Neurology")
    ms = TopicFactory(name="Multiple Sclerosis", parent=neurology)
    treatment = TopicFactory(name="MS Treatment", parent=ms)
    return neurology, ms, treatment


def test_followers_of_the_topic_and_its_ancestors_are_notified(topics, asker):
    # given
    neurology, ms, treatment = topics
    at_root, at_middle, at_leaf = UserFactory(), UserFactory(), UserFactory()
    TopicFollowFactory(user=at_root, topic=neurology)
    TopicFollowFactory(user=at_middle, topic=ms)
    TopicFollowFactory(user=at_leaf, topic=treatment)
    elsewhere = TopicFollowFactory(topic=TopicFactory(name="Cardiology")).user
    question = QuestionFactory(
        title="Does ocrelizumab slow MS?", asker=asker, topics=[treatment]
    )
    # when
    actions.notify_question_asked(question, actor=asker)
    # then
    texts = {n.recipient: n.text for n in Notification.objects.all()}
    assert texts == {
        at_root: "Asha Rao asked in Neurology: “Does ocrelizumab slow MS?”",
        at_middle: "Asha Rao asked in Multiple Sclerosis: “Does ocrelizumab slow MS?”",
        at_leaf: "Asha Rao asked in MS Treatment: “Does ocrelizumab slow MS?”",
    }
    assert elsewhere not in texts
    notification = Notification.objects.get(recipient=at_leaf)
    assert notification.kind == Kind.QUESTION_IN_FOLLOWED_TOPIC
    assert notification.url == question.get_absolute_url()
    assert notification.actor == asker


def test_a_reader_following_several_matching_topics_hears_once_of_the_closest(
    topics, reader
):
    # given: two topics of the question, and the parent of one of them
    neurology, ms, treatment = topics
    for topic in (neurology, ms, treatment):
        TopicFollowFactory(user=reader, topic=topic)
    question = QuestionFactory(title="Is MS inherited?", topics=[ms, treatment])
    # when
    actions.notify_question_asked(question, actor=None)
    # then
    assert (
        Notification.objects.get().text
        == "New question in MS Treatment: “Is MS inherited?”"
    )


def test_an_anonymous_asker_is_not_named(topics, asker, reader):
    # given
    TopicFollowFactory(user=reader, topic=topics[0])
    question = QuestionFactory(
        title="Can stress cause MS?", asker=asker, is_anonymous=True, topics=[topics[2]]
    )
    # when
    actions.notify_question_asked(question, actor=asker)
    # then
    assert (
        Notification.objects.get().text
        == "New question in Neurology: “Can stress cause MS?”"
    )


def test_the_asker_following_the_topic_is_not_told_of_their_own_question(topics, asker):
    # given
    TopicFollowFactory(user=asker, topic=topics[1])
    question = QuestionFactory(asker=asker, topics=[topics[1]])
    # when
    actions.notify_question_asked(question, actor=asker)
    # then
    assert not Notification.objects.exists()


def test_a_question_without_topics_notifies_nobody(reader):
    # given
    TopicFollowFactory(user=reader)
    # when
    actions.notify_question_asked(QuestionFactory(), actor=None)
    # then
    assert not Notification.objects.exists()


def test_followers_who_switched_this_kind_off_are_skipped(topics, reader, stranger):
    # given
    TopicFollowFactory(user=reader, topic=topics[0])
    TopicFollowFactory(user=stranger, topic=topics[0])
    PreferenceFactory(
        user=stranger,
        question_in_followed_topic_in_app=False,
        question_in_followed_topic_email=False,
    )
    # when
    actions.notify_question_asked(QuestionFactory(topics=[topics[0]]), actor=None)
    # then
    assert Notification.objects.get().recipient == reader


def test_ancestors_are_read_one_level_at_a_time(
    topics, reader, django_assert_num_queries
):
    """1 the question's topics, 2 their parents, 3 the grandparents, 4 the
    follows, 5 the recipients with their preferences, 6 a savepoint, 7 the
    insert, 8 the savepoint's release."""
    # given
    TopicFollowFactory(user=reader, topic=topics[0])
    question = QuestionFactory(topics=[topics[2], TopicFactory(parent=topics[1])])
    # when
    with django_assert_num_queries(8):
        actions.notify_question_asked(question, actor=None)
    # then
    assert Notification.objects.get().recipient == reader
