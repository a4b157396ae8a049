"""A changed question notifies its followers."""

from __future__ import annotations

import pytest

from askwell.accounts.tests.factories import UserFactory
from askwell.notifications import actions
from askwell.notifications.models import Kind, Notification
from askwell.notifications.tests.factories import QuestionFollowFactory
from askwell.questions.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db


def test_followers_hear_what_changed(asker, reader, stranger):
    # given
    question = QuestionFactory(title="Is MS inherited?", asker=asker)
    QuestionFollowFactory(user=reader, question=question)
    QuestionFollowFactory(user=stranger, question=question)
    editor = UserFactory()
    # when
    actions.notify_question_changed(question, actor=editor, what="was edited")
    # then
    rows = Notification.objects.order_by("recipient_id")
    assert [n.recipient for n in rows] == [reader, stranger]
    for notification in rows:
        assert notification.kind == Kind.FOLLOWED_QUESTION_CHANGED
        assert notification.text == "“Is MS inherited?” was edited"
        assert notification.url == question.get_absolute_url()
        assert notification.actor == editor


def test_the_follower_who_made_the_change_is_not_told(asker, reader):
    # given
    question = QuestionFactory(asker=asker)
    QuestionFollowFactory(user=reader, question=question)
    QuestionFollowFactory(user=asker, question=question)
    # when
    actions.notify_question_changed(question, actor=asker, what="was closed")
    # then
    assert Notification.objects.get().recipient == reader


def test_an_asker_who_does_not_follow_is_not_told_of_changes(asker):
    # given
    question = QuestionFactory(asker=asker)
    # when
    actions.notify_question_changed(question, actor=None, what="was edited")
    # then
    assert not Notification.objects.exists()


def test_long_titles_and_line_breaks_make_one_short_line(reader):
    # given
    question = QuestionFactory(title="Why\nis " + "very " * 55 + "long?")
    QuestionFollowFactory(user=reader, question=question)
    # when
    actions.notify_question_changed(question, actor=None, what="was edited")
    # then
    text = Notification.objects.get().text
    assert "\n" not in text
    assert text.startswith("“Why is very very")
    assert text.endswith("…” was edited")
    assert len(text) < 220
