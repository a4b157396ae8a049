"""Notification email: sent after the commit, as each reader chose."""

from __future__ import annotations

import logging

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from askwell.accounts.tests.factories import UserFactory
from askwell.notifications import actions
from askwell.notifications.models import Notification
from askwell.notifications.tests.factories import (
    PreferenceFactory,
    QuestionFollowFactory,
)
from askwell.questions.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db


class FailingBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server down")


@pytest.fixture
def question(reader):
    question = QuestionFactory(title="Is MS inherited?", slug="is-ms-inherited")
    QuestionFollowFactory(user=reader, question=question)
    return question


def test_email_goes_out_only_after_the_commit(
    question, reader, settings, django_capture_on_commit_callbacks
):
    # given
    settings.ASKWELL_SITE_URL = "https://askwell.example.org"
    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        actions.notify_question_changed(question, actor=None, what="was edited")
        # then: nothing is sent while the transaction is open
        assert mail.outbox == []
    assert len(callbacks) == 1
    [message] = mail.outbox
    assert message.to == [reader.email]
    assert message.subject == "Askwell: “Is MS inherited?” was edited"
    assert message.body == (
        "“Is MS inherited?” was edited\n"
        "\n"
        "Open it: https://askwell.example.org/questions/is-ms-inherited/\n"
        "\n"
        "Choose what we send you: https://askwell.example.org/notifications/preferences/"
    )
    assert Notification.objects.get().emailed_at is not None


def test_each_recipient_gets_their_own_email(
    question, reader, stranger, django_capture_on_commit_callbacks
):
    # given
    QuestionFollowFactory(user=stranger, question=question)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        actions.notify_question_changed(question, actor=None, what="was edited")
    # then
    assert sorted(m.to[0] for m in mail.outbox) == [reader.email, stranger.email]


@pytest.mark.parametrize(
    "preference",
    [
        {"followed_question_changed_email": False},
        {"email_frequency": "never"},
        {"email_frequency": "daily"},
    ],
    ids=["kind-off", "never", "daily-digest"],
)
def test_no_immediate_email_when_the_reader_chose_otherwise(
    preference, question, reader, django_capture_on_commit_callbacks
):
    # given
    PreferenceFactory(user=reader, **preference)
    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        actions.notify_question_changed(question, actor=None, what="was edited")
    # then
    assert callbacks == []
    assert mail.outbox == []
    notification = Notification.objects.get()
    assert notification.in_app is True
    assert notification.emailed_at is None


def test_email_only_preference_sends_email_without_an_inbox_entry(
    question, reader, django_capture_on_commit_callbacks
):
    # given
    PreferenceFactory(user=reader, followed_question_changed_in_app=False)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        actions.notify_question_changed(question, actor=None, what="was edited")
    # then
    assert len(mail.outbox) == 1
    assert not Notification.objects.inbox(reader).exists()


def test_a_reader_without_email_address_gets_no_email(
    question, reader, django_capture_on_commit_callbacks
):
    # given
    no_address = UserFactory(email="")
    QuestionFollowFactory(user=no_address, question=question)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        actions.notify_question_changed(question, actor=None, what="was edited")
    # then
    assert Notification.objects.get(recipient=no_address).emailed_at is None
    assert [m.to for m in mail.outbox] == [[reader.email]]


def test_a_failed_send_is_logged_left_pending_and_fails_its_job(
    question, settings, caplog, django_capture_on_commit_callbacks
):
    """The job fails, so the worker runs it again later (operations/jobs.py)."""
    # given
    settings.EMAIL_BACKEND = (
        "askwell.notifications.tests.test_notification_email.FailingBackend"
    )
    # when
    with (
        caplog.at_level(logging.ERROR),
        django_capture_on_commit_callbacks(execute=True),
    ):
        actions.notify_question_changed(question, actor=None, what="was edited")
    # then
    notification = Notification.objects.get()
    assert notification.emailed_at is None
    assert (
        f"Sending notification {notification.pk} by email failed; it stays pending."
        in caplog.text
    )
    assert (
        "MailNotSent: 1 notification email(s) not sent: "
        "ConnectionRefusedError('SMTP server down')"
    ) in caplog.text


def test_a_job_run_again_sends_only_what_did_not_go_out(question, reader, stranger):
    # given: two notifications, the first one emailed already
    QuestionFollowFactory(user=stranger, question=question)
    first, second = actions.notify_question_changed(
        question, actor=None, what="was edited"
    )
    actions.send_notification_emails([first.pk])
    mail.outbox.clear()
    # when
    sent = actions.send_notification_emails([first.pk, second.pk])
    # then
    assert sent == 1
    assert [m.to for m in mail.outbox] == [[second.recipient.email]]
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0
