"""An anonymous asker's name is never in what others are told, in-app or by email."""

from __future__ import annotations

import pytest
from django.core import mail

from askwell.accounts.tests.factories import UserFactory
from askwell.experts.tests.factories import ContributorFactory
from askwell.notifications import actions
from askwell.notifications.models import Notification
from askwell.notifications.tests.factories import (
    QuestionFollowFactory,
    TopicFollowFactory,
    comment_on,
)
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory
from askwell.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "event", ["answer_posted", "comment_posted", "question_asked", "question_changed"]
)
def test_the_anonymous_askers_name_is_not_in_any_text_or_email(
    event, asker, reader, django_capture_on_commit_callbacks
):
    # given
    topic = TopicFactory(name="Sleep")
    question = QuestionFactory(
        title="Why do I wake at 4am?", asker=asker, is_anonymous=True, topics=[topic]
    )
    TopicFollowFactory(user=reader, topic=topic)
    QuestionFollowFactory(user=reader, question=question)
    expert = UserFactory(username="sam")
    answer = AnswerFactory(
        question=question, contributor=ContributorFactory(user=expert)
    )
    # when
    with django_capture_on_commit_callbacks(execute=True):
        if event == "answer_posted":
            actions.notify_answer_posted(answer, actor=expert)
        elif event == "comment_posted":
            actions.notify_comment_posted(comment_on(answer, author=asker), actor=asker)
        elif event == "question_asked":
            actions.notify_question_asked(question, actor=asker)
        else:
            actions.notify_question_changed(question, actor=asker, what="was edited")
    # then
    told = Notification.objects.exclude(recipient=asker)
    emails = [m for m in mail.outbox if m.to != [asker.email]]
    assert told.exists()
    assert len(emails) == told.count()
    written = [n.text for n in told] + [m.subject + m.body for m in emails]
    for text in written:
        assert "Asha" not in text
        assert "Rao" not in text
        assert "asha" not in text


def test_an_anonymous_asker_commenting_is_called_the_asker(asker, reader):
    # given
    question = QuestionFactory(
        title="Why do I wake at 4am?", asker=asker, is_anonymous=True
    )
    QuestionFollowFactory(user=reader, question=question)
    answer = AnswerFactory(question=question)
    # when
    actions.notify_comment_posted(comment_on(answer, author=asker), actor=asker)
    # then
    assert (
        Notification.objects.get().text
        == "The asker commented on an answer to “Why do I wake at 4am?”"
    )
