"""What notifications does when something happens to the content: tell the
people it concerns. Connected in NotificationsConfig.ready() to the events
of askwell/questions/signals.py, which say what each event means and when
it is sent.

Each receiver runs inside the sender's transaction, so the notifications it
creates commit with the change; their email goes after the commit
(actions._notify). Whom to tell, and in what words, is decided here and in
actions.py; nothing here changes the content.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.dispatch import receiver

from askwell.notifications import actions
from askwell.questions import signals

if TYPE_CHECKING:
    from askwell.accounts.models import User
    from askwell.questions.models import Answer, Comment, Question, Revision


@receiver(signals.question_asked)
def tell_topic_followers(
    sender: type, *, question: Question, actor: User | None, **kwargs: Any
) -> None:
    actions.notify_question_asked(question, actor=actor)


@receiver(signals.question_edited)
def tell_followers_of_edit(
    sender: type, *, question: Question, actor: User | None, **kwargs: Any
) -> None:
    actions.notify_question_changed(question, actor=actor, what="was edited")


@receiver(signals.question_closed_as_duplicate)
def tell_followers_of_duplicate(
    sender: type, *, question: Question, actor: User | None, **kwargs: Any
) -> None:
    actions.notify_question_changed(
        question, actor=actor, what="was closed as a duplicate"
    )


@receiver(signals.answer_posted)
def tell_of_answer(
    sender: type, *, answer: Answer, actor: User | None, **kwargs: Any
) -> None:
    actions.notify_answer_posted(answer, actor=actor)


@receiver(signals.answer_edited)
def tell_followers_of_edited_answer(
    sender: type, *, answer: Answer, actor: User | None, **kwargs: Any
) -> None:
    actions.notify_question_changed(
        answer.question,
        actor=actor,
        what=f"has an edited answer from {answer.contributor.signature}",
    )


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
        actions.notify_answer_edited(answer, actor=actor)


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
    actions.notify_answer_reviewed(answer, decision=decision, note=note, actor=actor)


@receiver(signals.comment_posted)
def tell_of_comment(
    sender: type, *, comment: Comment, actor: User | None, **kwargs: Any
) -> None:
    actions.notify_comment_posted(comment, actor=actor)
