"""Holding new accounts' first questions for review (hold_if_new), and the
editors' approve and reject."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction

from askwell.accounts.tests.factories import PASSWORD, UserFactory
from askwell.audit.models import LogEntry
from askwell.moderation.actions import approve_question, reject_question
from askwell.notifications.models import Notification, TopicFollow
from askwell.questions.actions import hold_if_new
from askwell.questions.tests.factories import QuestionFactory
from askwell.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hold_on(settings):
    settings.ASKWELL_HOLD_NEW_QUESTIONS = True


@pytest.fixture
def newcomer(db):
    return UserFactory(username="newcomer")


def test_a_first_question_is_held(hold_on, newcomer):
    # given
    question = QuestionFactory(asker=newcomer)

    # when
    with transaction.atomic():
        held = hold_if_new(question)

    # then
    assert held is True
    question.refresh_from_db()
    assert question.moderation == "held"
    entry = LogEntry.objects.get(action="question.held")
    assert (entry.actor, entry.after) == (None, {"moderation": "held"})


@pytest.mark.parametrize("case", ["setting off", "approved before", "editor"])
def test_others_are_not_held(settings, newcomer, editor, case):
    # given
    settings.ASKWELL_HOLD_NEW_QUESTIONS = case != "setting off"
    asker = editor if case == "editor" else newcomer
    if case == "approved before":
        QuestionFactory(asker=newcomer)
    question = QuestionFactory(asker=asker)

    # when
    held = hold_if_new(question)

    # then
    assert held is False
    question.refresh_from_db()
    assert question.moderation == "visible"
    assert not LogEntry.objects.filter(action="question.held").exists()


def test_an_earlier_held_question_does_not_count_as_approved(hold_on, newcomer):
    QuestionFactory(asker=newcomer, moderation="held")

    assert hold_if_new(QuestionFactory(asker=newcomer)) is True


def test_the_asker_sees_their_held_question_and_others_do_not(
    client, hold_on, newcomer, reporter
):
    # given
    question = QuestionFactory(asker=newcomer)
    hold_if_new(question)

    # then
    assert client.get(question.get_absolute_url()).status_code == 404
    client.login(username="reporter", password=PASSWORD)
    assert client.get(question.get_absolute_url()).status_code == 404
    client.login(username="newcomer", password=PASSWORD)
    page = client.get(question.get_absolute_url())
    assert page.status_code == 200
    assert "Waiting for review." in page.content.decode()
    assert "Approve and publish" not in page.content.decode()


def test_approving_publishes_and_tells_followers_and_asker(
    hold_on, newcomer, editor, reporter, django_capture_on_commit_callbacks
):
    # given
    topic = TopicFactory(name="Ankles")
    TopicFollow.objects.create(user=reporter, topic=topic)
    question = QuestionFactory(asker=newcomer, topics=[topic], is_anonymous=True)
    hold_if_new(question)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        approve_question(editor, question)

    # then
    question.refresh_from_db()
    assert question.moderation == "visible"
    notification = Notification.objects.get()
    assert notification.recipient == reporter
    assert notification.text == f"New question in Ankles: “{question.title}”"
    assert LogEntry.objects.get(action="question.approved").after == {
        "moderation": "visible"
    }
    asker_mail = [m for m in mail.outbox if m.to == [newcomer.email]]
    assert asker_mail[0].subject == "Your question on Askwell was approved"


def test_rejecting_deletes_softly_and_tells_the_asker_why(
    hold_on, newcomer, editor, django_capture_on_commit_callbacks
):
    # given
    question = QuestionFactory(asker=newcomer)
    hold_if_new(question)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        reject_question(editor, question, reason="Advertising")

    # then
    question.refresh_from_db()
    assert question.moderation == "deleted"
    assert "Their reason: Advertising" in mail.outbox[0].body


def test_only_held_questions_can_be_approved(editor, question):
    with pytest.raises(ValidationError) as error:
        approve_question(editor, question)

    assert error.value.code == "not_held"


def test_the_queue_lists_held_questions_with_buttons(client, hold_on, newcomer, editor):
    # given
    question = QuestionFactory(asker=newcomer)
    hold_if_new(question)
    client.login(username="editor", password=PASSWORD)

    # when
    response = client.get("/moderation/held/")
    approve = client.post(f"/moderation/questions/{question.slug}/approve/")

    # then
    assert list(response.context["page"].object_list) == [question]
    assert (
        f'action="/moderation/questions/{question.slug}/reject/"'
        in response.content.decode()
    )
    assert approve.status_code == 302
    question.refresh_from_db()
    assert question.moderation == "visible"
