"""What notifications does when something happens to the content: tell the
people it concerns. Connected in NotificationsConfig.ready() to the events
of askwell/questions/signals.py, which say what each event means and when
it is sent.

Each receiver queues a background job (tasks.py) for after the sender's
transaction commits: a rolled-back change tells no one, and however many
people follow a topic, the request that caused it never waits for them.
The job finds whom to tell, and in what words (actions.py); nothing here
changes the content.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.dispatch import receiver
from django.utils import timezone

from askwell.core.jobs import enqueue_after_commit
from askwell.notifications import tasks
from askwell.questions import signals

if TYPE_CHECKING:
    from askwell.accounts.models import User
    from askwell.questions.models import Answer, Comment, Question, Revision


def _pk(actor: User | None) -> int | None:
    return None if actor is None else actor.pk


def _now() -> str:
    """When the event happened, for its job: the time its notifications carry."""
    return timezone.now().isoformat()


@receiver(signals.question_asked)
def tell_topic_followers(
    sender: type, *, question: Question, actor: User | None, **kwargs: Any
) -> None:
    enqueue_after_commit(tasks.tell_topic_followers, question.pk, _pk(actor), _now())


@receiver(signals.question_edited)
def tell_followers_of_edit(
    sender: type, *, question: Question, actor: User | None, **kwargs: Any
) -> None:
    enqueue_after_commit(
        tasks.tell_question_followers, question.pk, _pk(actor), _now(), "was edited"
    )


@receiver(signals.question_closed_as_duplicate)
def tell_followers_of_duplicate(
    sender: type, *, question: Question, actor: User | None, **kwargs: Any
) -> None:
    enqueue_after_commit(
        tasks.tell_question_followers,
        question.pk,
        _pk(actor),
        _now(),
        "was closed as a duplicate",
    )


@receiver(signals.answer_posted)
def tell_of_answer(
    sender: type, *, answer: Answer, actor: User | None, **kwargs: Any
) -> None:
    enqueue_after_commit(tasks.tell_of_answer, answer.pk, _pk(actor), _now())


@receiver(signals.answer_edited)
def tell_followers_of_edited_answer(
    sender: type, *, answer: Answer, actor: User | None, **kwargs: Any
) -> None:
    enqueue_after_commit(tasks.tell_of_edited_answer, answer.pk, _pk(actor), _now())


@receiver(signals.answer_revised)
def tell_signer_of_outside_edit(
    sender: type,
    *,
    answer: Answer,
    revision: Revision,
    actor: User | None,
    **kwargs: Any,
) -> None:
    """The words under a signer's name changed by someone else's hand."""
    if not revision.by_signer:
        enqueue_after_commit(
            tasks.tell_signer_of_outside_edit, answer.pk, _pk(actor), _now()
        )


@receiver(signals.answer_reviewed)
def tell_author_of_review(
    sender: type,
    *,
    answer: Answer,
    decision: str,
    note: str,
    actor: User | None,
    **kwargs: Any,
) -> None:
    """A medical review decision, for the answer's author."""
    enqueue_after_commit(
        tasks.tell_author_of_review, answer.pk, _pk(actor), _now(), decision, note
    )


@receiver(signals.comment_posted)
def tell_of_comment(
    sender: type, *, comment: Comment, actor: User | None, **kwargs: Any
) -> None:
    enqueue_after_commit(tasks.tell_of_comment, comment.pk, _pk(actor), _now())
