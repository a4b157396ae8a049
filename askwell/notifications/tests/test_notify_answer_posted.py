"""A new answer notifies the asker and the question's followers."""

from __future__ import annotations

import pytest

from askwell.accounts.tests.factories import UserFactory
from askwell.experts.tests.factories import ContributorFactory
from askwell.notifications import actions
from askwell.notifications.models import Kind, Notification
from askwell.notifications.tests.factories import (
    PreferenceFactory,
    QuestionFollowFactory,
)
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def answer(asker):
    question = QuestionFactory(title="Can plasma exchange help MS?", asker=asker)
    neurologist = ContributorFactory(name="Sam Reyes", credentials="MD")
    return AnswerFactory(question=question, contributor=neurologist)


def test_the_asker_and_followers_are_notified(answer, asker, reader):
    # given
    QuestionFollowFactory(user=reader, question=answer.question)
    expert = UserFactory()
    # when
    created = actions.notify_answer_posted(answer, actor=expert)
    # then
    rows = Notification.objects.order_by("recipient_id")
    assert [n.recipient for n in rows] == [asker, reader]
    assert created == list(rows)
    for notification in rows:
        assert notification.kind == Kind.ANSWER_POSTED
        assert notification.actor == expert
        assert notification.question == answer.question
        assert notification.url == answer.get_absolute_url()
        assert (
            notification.text == "Sam Reyes, MD answered “Can plasma exchange help MS?”"
        )
        assert notification.in_app is True
        assert notification.read_at is None


def test_the_actor_is_not_notified_of_their_own_answer(answer, asker, reader):
    # given: the answering expert follows the question too
    QuestionFollowFactory(user=reader, question=answer.question)
    # when
    actions.notify_answer_posted(answer, actor=reader)
    # then
    assert Notification.objects.get().recipient == asker


def test_an_asker_who_also_follows_is_notified_once(answer, asker):
    # given
    QuestionFollowFactory(user=asker, question=answer.question)
    # when
    actions.notify_answer_posted(answer, actor=None)
    # then
    assert Notification.objects.get().recipient == asker


def test_a_question_without_asker_notifies_its_followers(reader):
    # given
    answer = AnswerFactory(question=QuestionFactory(asker=None))
    QuestionFollowFactory(user=reader, question=answer.question)
    # when
    actions.notify_answer_posted(answer, actor=None)
    # then
    assert Notification.objects.get().recipient == reader


def test_nobody_to_tell_creates_nothing():
    # given
    answer = AnswerFactory(question=QuestionFactory(asker=None))
    # when
    created = actions.notify_answer_posted(answer, actor=None)
    # then
    assert created == []
    assert not Notification.objects.exists()


def test_inactive_followers_are_not_notified(answer, asker, inactive_user):
    # given
    QuestionFollowFactory(user=inactive_user, question=answer.question)
    # when
    actions.notify_answer_posted(answer, actor=None)
    # then
    assert Notification.objects.get().recipient == asker


def test_switched_off_in_app_and_email_means_no_notification(answer, asker):
    # given
    PreferenceFactory(user=asker, answer_posted_in_app=False, answer_posted_email=False)
    # when
    actions.notify_answer_posted(answer, actor=None)
    # then
    assert not Notification.objects.exists()


def test_other_kinds_switched_off_do_not_matter(answer, asker):
    # given
    PreferenceFactory(
        user=asker, comment_posted_in_app=False, comment_posted_email=False
    )
    # when
    actions.notify_answer_posted(answer, actor=None)
    # then
    assert Notification.objects.get().recipient == asker


def test_email_only_creates_a_row_kept_out_of_the_inbox(answer, asker):
    # given
    PreferenceFactory(user=asker, answer_posted_in_app=False, email_frequency="daily")
    # when
    actions.notify_answer_posted(answer, actor=None)
    # then
    notification = Notification.objects.get()
    assert notification.in_app is False
    assert notification.emailed_at is None
    assert not Notification.objects.inbox(asker).exists()
