"""Telling followers is a background job: the request that asks a question
in a followed topic creates no notification itself. The job reads the
content when it runs, and run again (its worker was killed) it makes no
second notification and sends no second email."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from askwell.accounts.tests.factories import UserFactory
from askwell.notifications import tasks
from askwell.notifications.models import Notification
from askwell.notifications.tests.factories import (
    QuestionFollowFactory,
    TopicFollowFactory,
)
from askwell.questions import actions as question_actions
from askwell.questions.models import Question
from askwell.questions.tests.factories import QuestionFactory
from askwell.testing.jobs import run_queued_jobs
from askwell.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


def test_asking_in_a_followed_topic_leaves_the_telling_to_a_job(
    job_queue, asker, django_capture_on_commit_callbacks
):
    # given: a topic with many followers
    gout = TopicFactory(name="Gout")
    followers = UserFactory.create_batch(30)
    for follower in followers:
        TopicFollowFactory(user=follower, topic=gout)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        question_actions.ask_question(asker, title="Is gout hereditary?", topics=[gout])
    # then: nobody told yet; one job waits
    assert not Notification.objects.exists()
    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "askwell.notifications.tasks.tell_topic_followers"
    ]
    # when
    run_queued_jobs()
    # then: each follower told, and emailed, once
    assert sorted(
        Notification.objects.values_list("recipient_id", flat=True)
    ) == sorted(f.pk for f in followers)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f.email for f in followers)


def test_a_fan_out_job_run_twice_tells_and_emails_each_follower_once(
    reader, stranger, django_capture_on_commit_callbacks
):
    # given
    question = QuestionFactory(title="Is MS inherited?")
    QuestionFollowFactory(user=reader, question=question)
    at = timezone.now().isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.tell_question_followers.call(question.pk, None, at, "was edited")
    QuestionFollowFactory(user=stranger, question=question)
    # when: the same job again (its worker died before it was marked done)
    with django_capture_on_commit_callbacks(execute=True):
        told = tasks.tell_question_followers.call(question.pk, None, at, "was edited")
    # then: only the follower who was not told before
    assert told == 1
    assert sorted(
        Notification.objects.values_list("recipient__username", flat=True)
    ) == [
        reader.username,
        stranger.username,
    ]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [reader.email, stranger.email]
    )


def test_a_job_run_again_sends_the_email_its_first_run_did_not(
    reader, settings, django_capture_on_commit_callbacks
):
    # given: the first run made the notification, but its email failed
    question = QuestionFactory(title="Is MS inherited?")
    QuestionFollowFactory(user=reader, question=question)
    at = timezone.now().isoformat()
    settings.EMAIL_BACKEND = (
        "askwell.notifications.tests.test_notification_email.FailingBackend"
    )
    with django_capture_on_commit_callbacks(execute=True):
        tasks.tell_question_followers.call(question.pk, None, at, "was edited")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # when
    with django_capture_on_commit_callbacks(execute=True):
        told = tasks.tell_question_followers.call(question.pk, None, at, "was edited")
    # then
    assert told == 0
    assert Notification.objects.get().emailed_at is not None
    assert [m.to for m in mail.outbox] == [[reader.email]]


def test_a_question_hidden_before_its_job_runs_tells_no_one(reader):
    # given
    question = QuestionFactory()
    QuestionFollowFactory(user=reader, question=question)
    Question.objects.filter(pk=question.pk).update(
        moderation=Question.Moderation.HIDDEN
    )
    # when
    told = tasks.tell_question_followers.call(
        question.pk, None, timezone.now().isoformat(), "was edited"
    )
    # then
    assert told == 0
    assert not Notification.objects.exists()
