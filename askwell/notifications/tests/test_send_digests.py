"""The daily digest: one email per reader who chose it, never the same news twice."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from askwell.notifications import tasks
from askwell.notifications.models import Kind, Notification
from askwell.notifications.tests.factories import NotificationFactory, PreferenceFactory
from askwell.operations import jobs
from askwell.questions.tests.factories import QuestionFactory
from askwell.testing.jobs import run_queued_jobs

pytestmark = pytest.mark.django_db


def _send_digests(capture) -> str:
    out = StringIO()
    with capture(execute=True):
        call_command("send_digests", stdout=out)
    return out.getvalue()


@pytest.fixture
def daily_reader(reader):
    PreferenceFactory(user=reader, email_frequency="daily")
    return reader


def test_a_daily_reader_gets_one_email_listing_their_news(
    daily_reader, settings, django_capture_on_commit_callbacks
):
    # given
    settings.ASKWELL_SITE_URL = "https://askwell.example.org"
    question = QuestionFactory(slug="is-ms-inherited")
    now = timezone.now()
    NotificationFactory(
        recipient=daily_reader,
        question=question,
        text="Sam Reyes, MD answered “Is MS inherited?”",
        url="/questions/is-ms-inherited/#answer-3",
        created_at=now - timedelta(hours=5),
    )
    NotificationFactory(
        recipient=daily_reader,
        kind=Kind.FOLLOWED_QUESTION_CHANGED,
        question=question,
        text="“Is MS inherited?” was edited",
        url="/questions/is-ms-inherited/",
        created_at=now - timedelta(hours=1),
    )
    # when
    output = _send_digests(django_capture_on_commit_callbacks)
    # then
    assert output == "Sent 1 digest covering 2 notifications\n"
    [message] = mail.outbox
    assert message.to == [daily_reader.email]
    assert message.subject == "Askwell: your daily digest (2 updates)"
    assert message.body == (
        "2 updates since the last digest:\n"
        "\n"
        "- Sam Reyes, MD answered “Is MS inherited?”\n"
        "  https://askwell.example.org/questions/is-ms-inherited/#answer-3\n"
        "- “Is MS inherited?” was edited\n"
        "  https://askwell.example.org/questions/is-ms-inherited/\n"
        "\n"
        "Choose what we send you: https://askwell.example.org/notifications/preferences/"
    )
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_running_twice_sends_nothing_new(
    daily_reader, django_capture_on_commit_callbacks
):
    # given
    NotificationFactory(recipient=daily_reader)
    _send_digests(django_capture_on_commit_callbacks)
    mail.outbox.clear()
    # when
    output = _send_digests(django_capture_on_commit_callbacks)
    # then
    assert output == "Sent 0 digests covering 0 notifications\n"
    assert mail.outbox == []


def test_only_what_the_reader_wants_by_email_and_not_yet_sent_is_included(
    reader, django_capture_on_commit_callbacks
):
    # given
    PreferenceFactory(user=reader, email_frequency="daily", comment_posted_email=False)
    now = timezone.now()
    wanted = NotificationFactory(recipient=reader, text="Wanted", in_app=False)
    comment = NotificationFactory(
        recipient=reader, kind=Kind.COMMENT_POSTED, text="Comment"
    )
    sent = NotificationFactory(recipient=reader, text="Emailed before", emailed_at=now)
    stale = NotificationFactory(
        recipient=reader, text="Stale", created_at=now - timedelta(days=8)
    )
    # when
    output = _send_digests(django_capture_on_commit_callbacks)
    # then
    assert output == "Sent 1 digest covering 1 notification\n"
    [message] = mail.outbox
    assert "- Wanted\n" in message.body
    assert "Comment" not in message.body
    assert "Emailed before" not in message.body
    assert "Stale" not in message.body
    for untouched in (comment, stale):
        untouched.refresh_from_db()
        assert untouched.emailed_at is None
    sent.refresh_from_db()
    assert sent.emailed_at == now
    wanted.refresh_from_db()
    assert wanted.emailed_at is not None


@pytest.mark.parametrize("frequency", [None, "immediately", "never"])
def test_readers_who_did_not_choose_the_digest_get_none(
    frequency, reader, django_capture_on_commit_callbacks
):
    # given
    if frequency is not None:
        PreferenceFactory(user=reader, email_frequency=frequency)
    notification = NotificationFactory(recipient=reader)
    # when
    output = _send_digests(django_capture_on_commit_callbacks)
    # then
    assert output == "Sent 0 digests covering 0 notifications\n"
    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.emailed_at is None


def test_inactive_accounts_get_no_digest(
    inactive_user, django_capture_on_commit_callbacks
):
    # given
    PreferenceFactory(user=inactive_user, email_frequency="daily")
    NotificationFactory(recipient=inactive_user)
    # when
    output = _send_digests(django_capture_on_commit_callbacks)
    # then
    assert output == "Sent 0 digests covering 0 notifications\n"
    assert mail.outbox == []


def test_each_daily_reader_gets_their_own_digest(
    daily_reader, stranger, django_capture_on_commit_callbacks
):
    # given
    PreferenceFactory(user=stranger, email_frequency="daily")
    NotificationFactory.create_batch(2, recipient=daily_reader)
    NotificationFactory(recipient=stranger)
    # when
    output = _send_digests(django_capture_on_commit_callbacks)
    # then
    assert output == "Sent 2 digests covering 3 notifications\n"
    assert sorted(m.to[0] for m in mail.outbox) == [
        daily_reader.email,
        stranger.email,
    ]


def test_a_failed_digest_is_sent_again_next_time(
    daily_reader, settings, django_capture_on_commit_callbacks
):
    # given
    NotificationFactory(recipient=daily_reader)
    settings.EMAIL_BACKEND = (
        "askwell.notifications.tests.test_notification_email.FailingBackend"
    )
    with pytest.raises(
        CommandError,
        match=r"^1 digest\(s\) not sent, left for the next run \(first error: "
        r"ConnectionRefusedError\('SMTP server down'\)\)$",
    ):
        _send_digests(django_capture_on_commit_callbacks)
    assert Notification.objects.get().emailed_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # when
    output = _send_digests(django_capture_on_commit_callbacks)
    # then
    assert output == "Sent 1 digest covering 1 notification\n"
    assert len(mail.outbox) == 1


def test_a_running_worker_sends_the_digest_once_a_day(job_queue, daily_reader):
    # given
    NotificationFactory(recipient=daily_reader)
    now = timezone.now()
    # when: a worker looks at the schedule, now and an hour later
    jobs.enqueue_due(now)
    jobs.enqueue_due(now + timedelta(hours=1))
    run_queued_jobs()
    # then
    assert [m.to for m in mail.outbox] == [[daily_reader.email]]
    assert DBTaskResult.objects.get(
        task_path="askwell.notifications.tasks.send_digests"
    ).return_value == {"digests": 1, "notifications": 1}


def test_a_digest_that_did_not_go_out_fails_its_job_to_run_again(
    job_queue, daily_reader, settings
):
    # given
    NotificationFactory(recipient=daily_reader)
    settings.EMAIL_BACKEND = (
        "askwell.notifications.tests.test_notification_email.FailingBackend"
    )
    result = tasks.send_digests.enqueue()
    # when
    run_queued_jobs()
    # then: waiting for its next attempt, the notification still unsent
    job = DBTaskResult.objects.get(pk=result.id)
    assert job.status == "READY"
    assert job.run_after > timezone.now()
    assert "MailNotSent: 1 digest(s) not sent" in job.traceback
    assert Notification.objects.get().emailed_at is None
