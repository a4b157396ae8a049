"""Notifications' background jobs: telling people what happened (queued by
receivers.py after the change commits), and the emails. actions.py says how
each is done once, however often its job runs.

A fan-out job reads the content when it runs: followers are told only of
what they can still see then, so a question hidden or deleted meanwhile
tells no one. `at` is when the event happened (ISO 8601), the same on every
run of the job.
"""

from __future__ import annotations

from datetime import datetime

from django_tasks import task

from askwell.accounts.models import User
from askwell.notifications import actions
from askwell.questions.models import Answer, Comment, Question


@task()
def send_emails(notification_ids: list[int]) -> int:
    """Email these notifications to readers who want them at once."""
    return actions.send_notification_emails(notification_ids)


@task()
def tell_topic_followers(question_id: int, actor_id: int | None, at: str) -> int:
    """A new question: tell the followers of its topics."""
    question = Question.objects.visible().filter(pk=question_id).first()
    if question is None:
        return 0
    return len(
        actions.notify_question_asked(
            question, actor=_user(actor_id), at=datetime.fromisoformat(at)
        )
    )


@task()
def tell_question_followers(
    question_id: int, actor_id: int | None, at: str, what: str
) -> int:
    """A question changed: tell its followers."""
    question = Question.objects.visible().filter(pk=question_id).first()
    if question is None:
        return 0
    return len(
        actions.notify_question_changed(
            question, actor=_user(actor_id), what=what, at=datetime.fromisoformat(at)
        )
    )


@task()
def tell_of_answer(answer_id: int, actor_id: int | None, at: str) -> int:
    """A new answer: tell the asker and the question's followers."""
    answer = _answer(answer_id)
    if answer is None:
        return 0
    return len(
        actions.notify_answer_posted(
            answer, actor=_user(actor_id), at=datetime.fromisoformat(at)
        )
    )


@task()
def tell_of_edited_answer(answer_id: int, actor_id: int | None, at: str) -> int:
    """An answer was edited: tell the question's followers, naming its signer."""
    answer = _answer(answer_id)
    if answer is None:
        return 0
    return len(
        actions.notify_question_changed(
            answer.question,
            actor=_user(actor_id),
            what=f"has an edited answer from {answer.contributor.signature}",
            at=datetime.fromisoformat(at),
        )
    )


@task()
def tell_signer_of_outside_edit(answer_id: int, actor_id: int | None, at: str) -> int:
    """Someone else changed the words under a signer's name: tell the signer
    (whether or not readers see the question now: the answer is theirs)."""
    answer = _answer(answer_id, visible_only=False)
    if answer is None:
        return 0
    return len(
        actions.notify_answer_edited(
            answer, actor=_user(actor_id), at=datetime.fromisoformat(at)
        )
    )


@task()
def tell_author_of_review(
    answer_id: int, actor_id: int | None, at: str, decision: str, note: str
) -> int:
    """A medical reviewer decided on an answer: tell its author, on the site."""
    answer = _answer(answer_id, visible_only=False)
    if answer is None:
        return 0
    return len(
        actions.notify_answer_reviewed(
            answer,
            decision=decision,
            note=note,
            actor=_user(actor_id),
            at=datetime.fromisoformat(at),
        )
    )


@task()
def tell_of_comment(comment_id: int, actor_id: int | None, at: str) -> int:
    """A new comment: tell the asker, the answer's author and the followers."""
    comment = (
        Comment.objects.select_related(
            "author", "answer__question", "answer__contributor"
        )
        .filter(pk=comment_id, answer__question__in=Question.objects.visible())
        .first()
    )
    if comment is None:
        return 0
    return len(
        actions.notify_comment_posted(
            comment, actor=_user(actor_id), at=datetime.fromisoformat(at)
        )
    )


def _answer(answer_id: int, *, visible_only: bool = True) -> Answer | None:
    """The answer with its question and contributor; with `visible_only`,
    only while its question is visible."""
    answers = Answer.objects.select_related("question", "contributor")
    if visible_only:
        answers = answers.filter(question__in=Question.objects.visible())
    return answers.filter(pk=answer_id).first()


def _user(user_id: int | None) -> User | None:
    if user_id is None:
        return None
    return User.objects.filter(pk=user_id).first()


@task()
def send_digests() -> dict[str, int]:
    """The daily digest (queued once a day by operations/schedule.py). A
    digest that did not go out fails the job, which runs again later and
    sends only what is still unsent."""
    summary = actions.send_digests()
    if summary.failed:
        raise actions.MailNotSent("digest(s)", summary.failed) from summary.failed[0]
    return {"digests": summary.digests, "notifications": summary.notifications}
