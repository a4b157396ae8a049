"""Closing a question as a duplicate of another, and reopening it."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from askwell.accounts.tests.factories import PASSWORD
from askwell.audit.models import LogEntry
from askwell.moderation.actions import close_as_duplicate, reopen_question
from askwell.questions.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def original(db):
    return QuestionFactory(
        title="How long does a sprain take to heal?", slug="sprain-healing"
    )


def test_closing_points_to_the_original_and_is_audited(
    editor, question, original, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        close_as_duplicate(editor, question, original=original, reason="Same question")

    # then
    question.refresh_from_db()
    assert (question.status, question.duplicate_of) == ("closed", original)
    entry = LogEntry.objects.get(action="question.closed_as_duplicate")
    assert (entry.before, entry.after) == (
        {"status": "answered", "duplicate_of": None},
        {"status": "closed", "duplicate_of": original.pk},
    )
    assert entry.data == {"reason": "Same question", "original": "sprain-healing"}
    assert "The question is answered here: " in mail.outbox[0].body
    assert mail.outbox[0].body.count("/questions/sprain-healing/") == 1


@pytest.mark.parametrize("case", ["self", "hidden", "chain"])
def test_bad_originals_are_refused(editor, question, original, case):
    # given
    if case == "hidden":
        original.moderation = "hidden"
        original.save(update_fields=["moderation"])
    if case == "chain":
        original.duplicate_of = QuestionFactory()
        original.save(update_fields=["duplicate_of"])
    target = question if case == "self" else original

    # when
    with pytest.raises(ValidationError) as error:
        close_as_duplicate(editor, question, original=target)

    # then
    assert (
        error.value.error_dict["original"][0].code
        == {
            "self": "self",
            "hidden": "not_visible",
            "chain": "chain",
        }[case]
    )
    question.refresh_from_db()
    assert (question.status, question.duplicate_of) == ("answered", None)


def test_both_pages_link_to_each_other(client, editor, question, original):
    # given
    close_as_duplicate(editor, question, original=original)

    # when
    closed = client.get(question.get_absolute_url()).content.decode()
    listed = client.get(original.get_absolute_url()).content.decode()

    # then
    assert "This question has been answered here:" in closed
    assert f'<a href="/questions/sprain-healing/">{original.title}</a>' in closed
    assert "Also asked as:" in listed
    assert f'<a href="{question.get_absolute_url()}">{question.title}</a>' in listed


@pytest.mark.parametrize(
    "value",
    [
        "sprain-healing",
        "/questions/sprain-healing/",
        "https://askwell.example/questions/sprain-healing/#answer-3",
    ],
)
def test_editors_choose_the_original_by_url_or_slug(
    client, editor, question, original, value
):
    client.login(username="editor", password=PASSWORD)

    response = client.post(
        f"/moderation/questions/{question.slug}/duplicate/", {"original": value}
    )

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.duplicate_of == original


def test_the_form_explains_an_unknown_original(client, editor, question):
    client.login(username="editor", password=PASSWORD)

    response = client.post(
        f"/moderation/questions/{question.slug}/duplicate/",
        {"original": "/topics/nothing/"},
    )

    assert "That is not the address of a question." in response.content.decode()
    question.refresh_from_db()
    assert question.duplicate_of is None


def test_reopening_undoes_the_close(editor, question, original, answer):
    # given
    close_as_duplicate(editor, question, original=original)

    # when
    reopen_question(editor, question, reason="Different injury")

    # then
    question.refresh_from_db()
    assert (question.status, question.duplicate_of) == ("answered", None)
    entry = LogEntry.objects.get(action="question.reopened")
    assert entry.after == {"status": "answered", "duplicate_of": None}


def test_readers_cannot_close_questions(client, reporter, question, original):
    client.login(username="reporter", password=PASSWORD)

    response = client.post(
        f"/moderation/questions/{question.slug}/duplicate/",
        {"original": original.slug},
    )

    assert response.status_code == 403
    question.refresh_from_db()
    assert question.duplicate_of is None
