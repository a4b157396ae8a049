"""The content's events and who follows them: the table in the README's
"How the code is laid out". The content never calls notifications or
search; they subscribe to these signals in their AppConfig.ready()."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.dispatch import Signal

from askwell.accounts.tests.factories import UserFactory
from askwell.experts import signals as expert_signals
from askwell.moderation.actions import hide_content
from askwell.questions import signals as question_signals
from askwell.questions.actions import ask_question
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory
from askwell.search.engine import search
from askwell.search.indexing import index_answers
from askwell.search.models import SearchDocument
from askwell.topics import signals as topic_signals

# (module, event): who subscribes, in the order they run.
SUBSCRIBERS = {
    (question_signals, "question_asked"): [
        "notifications.receivers.tell_topic_followers"
    ],
    (question_signals, "question_edited"): [
        "notifications.receivers.tell_followers_of_edit"
    ],
    (question_signals, "question_closed_as_duplicate"): [
        "notifications.receivers.tell_followers_of_duplicate"
    ],
    (question_signals, "answer_posted"): ["notifications.receivers.tell_of_answer"],
    (question_signals, "answer_edited"): [
        "notifications.receivers.tell_followers_of_edited_answer"
    ],
    (question_signals, "answer_revised"): [
        "notifications.receivers.tell_signer_of_outside_edit"
    ],
    (question_signals, "answer_reviewed"): [
        "notifications.receivers.tell_author_of_review"
    ],
    (question_signals, "comment_posted"): ["notifications.receivers.tell_of_comment"],
    (question_signals, "content_changed"): ["search.receivers.reindex_content"],
    (topic_signals, "topic_changed"): ["search.receivers.reindex_topic"],
    (expert_signals, "contributor_changed"): ["search.receivers.reindex_contributor"],
}


def _subscribers(signal: Signal) -> list[str]:
    # Signal keeps no public list of its receivers; _live_receivers() is
    # what send() itself reads.
    sync, asynchronous = signal._live_receivers(None)
    return [
        f"{receiver.__module__.removeprefix('askwell.')}.{receiver.__qualname__}"
        for receiver in [*sync, *asynchronous]
    ]


@pytest.mark.parametrize("event", SUBSCRIBERS, ids=lambda event: event[1])
def test_each_event_has_its_subscribers(event):
    module, name = event
    assert _subscribers(getattr(module, name)) == SUBSCRIBERS[event]


@pytest.mark.django_db
def test_a_failing_subscriber_fails_the_action_and_nothing_is_kept():
    """Receivers run inside the action's transaction, as a direct call did."""
    # given
    asker = UserFactory()

    def refuse(**kwargs: object) -> None:
        raise ValidationError("refused", code="refused")

    question_signals.question_asked.connect(refuse)
    try:
        # when
        with pytest.raises(ValidationError):
            ask_question(asker, title="Does rest help a sprained ankle heal?")
    finally:
        question_signals.question_asked.disconnect(refuse)

    # then
    assert not asker.questions.exists()


@pytest.mark.django_db
def test_search_follows_a_hidden_answer_after_the_commit_and_hides_it_at_once(
    editor, django_capture_on_commit_callbacks
):
    # given
    answer = AnswerFactory(
        question=QuestionFactory(title="Can plasmapheresis help a relapse?"),
        body="Plasmapheresis can help a severe relapse that steroids did not.",
    )
    index_answers([answer.pk])

    # when
    with django_capture_on_commit_callbacks(execute=True):
        hide_content(editor, answer, reason="Spam")
        found_before_commit = [hit.answer.pk for hit in search("plasmapheresis").hits]
        kept_before_commit = SearchDocument.objects.filter(answer=answer).exists()

    # then
    assert (found_before_commit, kept_before_commit) == ([], True)
    assert not SearchDocument.objects.filter(answer=answer).exists()
