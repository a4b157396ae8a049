"""Every write of moderation and privacy: one function per action.

Each checks permission (permissions.py), writes inside one transaction,
appends an audit entry with the state before and after, sends the event of
what happened to the content (questions/signals.py: search and
notifications follow), and schedules the email that tells the author for
after the commit.

Hiding and deleting are soft: they set `Question.moderation`,
`Answer.status` or `Comment.status`, and `restore_content` brings the item
back. Nothing here removes a row of content.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from askwell.accounts.mail import absolute, send_after_commit
from askwell.audit import log_action
from askwell.lib import limits
from askwell.moderation.models import Flag, Target, kind_of
from askwell.moderation.permissions import (
    check_can_delete_account,
    check_can_flag,
    check_can_manage_own_data,
    check_can_moderate,
)
from askwell.questions import signals
from askwell.questions.models import Answer, Comment, Question

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from askwell.accounts.models import User

REASON_MAX = limits.MODERATION_REASON
# What a person types to confirm they want their account deleted.
DELETE_CONFIRMATION = "delete my account"


@dataclass(frozen=True)
class _States:
    """The moderation field of one kind of content and its three values."""

    field: str
    public: str
    hidden: str
    deleted: str


STATES: dict[type[Target], _States] = {
    Question: _States(
        "moderation",
        Question.Moderation.VISIBLE,
        Question.Moderation.HIDDEN,
        Question.Moderation.DELETED,
    ),
    Answer: _States(
        "status", Answer.Status.PUBLISHED, Answer.Status.HIDDEN, Answer.Status.DELETED
    ),
    Comment: _States(
        "status",
        Comment.Status.PUBLISHED,
        Comment.Status.HIDDEN,
        Comment.Status.DELETED,
    ),
}


def _field_error(field: str, message: str, code: str) -> ValidationError:
    """A ValidationError on one form field that keeps its `code`."""
    return ValidationError({field: ValidationError(message, code=code)})


# --- flags --------------------------------------------------------------------------


def flag_content(
    user: User | AnonymousUser, target: Target, *, reason: str, text: str = ""
) -> Flag:
    """Report `target` to the editors. One open flag per reader per item."""
    user = check_can_flag(user)
    text = text.strip()
    if reason not in Flag.Reason.values:
        raise _field_error("reason", "Choose a reason from the list.", "invalid_reason")
    if reason == Flag.Reason.OTHER and not text:
        raise _field_error(
            "text", "Tell the editors in a few words what is wrong.", "text_required"
        )
    if len(text) > 1000:
        raise _field_error("text", "Keep it under 1,000 characters.", "max_length")
    with transaction.atomic():
        if Flag.objects.open().for_target(target).filter(reporter=user).exists():
            raise ValidationError(
                "You have already reported this; the editors will look at it.",
                code="already_flagged",
            )
        flag = Flag.objects.create(
            reporter=user, reason=reason, text=text, **{kind_of(target): target}
        )
        log_action(target, "flag.created", user, {"flag": flag.pk, "reason": reason})
    return flag


def dismiss_flag(editor: User, flag: Flag, *, reason: str = "") -> int:
    """Close `flag`, and every other open flag on the same item, with nothing
    to change. Returns how many flags were closed."""
    check_can_moderate(editor)
    reason = reason.strip()[:REASON_MAX]
    with transaction.atomic():
        target = flag.target
        closed = _close_flags(
            target, editor, Flag.Status.DISMISSED, f"dismissed: {reason}".rstrip(": ")
        )
        log_action(
            target, "flag.dismissed", editor, {"reason": reason, "flags": closed}
        )
    return len(closed)


def _close_flags(target: Target, editor: User, status: str, note: str) -> list[int]:
    flags = Flag.objects.open().for_target(target)
    ids = list(flags.values_list("pk", flat=True))
    flags.update(
        status=status,
        resolved_by=editor,
        resolved_at=timezone.now(),
        resolution=note[:REASON_MAX],
    )
    return ids


# --- hide, delete, restore ----------------------------------------------------------


def hide_content(editor: User, target: Target, *, reason: str) -> Target:
    """Hide `target` from readers (restorable); closes its open flags."""
    return _moderate(editor, target, "hidden", reason=reason)


def delete_content(editor: User, target: Target, *, reason: str) -> Target:
    """Soft-delete `target` (restorable by an editor); closes its open flags."""
    return _moderate(editor, target, "deleted", reason=reason)


def restore_content(editor: User, target: Target, *, reason: str) -> Target:
    """Show a hidden or deleted item to readers again."""
    return _moderate(editor, target, "restored", reason=reason)


def _moderate(editor: User, target: Target, verb: str, *, reason: str) -> Target:
    check_can_moderate(editor)
    reason = _required_reason(reason)
    states = STATES[type(target)]
    kind = kind_of(target)
    with transaction.atomic():
        target = type(target).objects.select_for_update().get(pk=target.pk)
        before = getattr(target, states.field)
        removed = {states.hidden, states.deleted}
        if verb == "restored":
            if before not in removed:
                raise ValidationError(
                    f"This {kind} is not hidden or deleted.", code="not_removed"
                )
            after = states.public
        else:
            if before not in {states.public, *removed}:
                raise ValidationError(
                    f"Only published content can be {verb}.", code="not_published"
                )
            after = states.hidden if verb == "hidden" else states.deleted
            if before == after:
                raise ValidationError(f"This {kind} is already {verb}.", code=verb)
        setattr(target, states.field, after)
        target.save(update_fields=[states.field, "updated_at"])
        closed = (
            []
            if verb == "restored"
            else _close_flags(target, editor, Flag.Status.RESOLVED, f"{verb}: {reason}")
        )
        log_action(
            target,
            f"{kind}.{verb}",
            editor,
            {"reason": reason, "flags": closed},
            before={states.field: before},
            after={states.field: after},
        )
        _reindex(target)
        _tell_author(target, verb, reason)
    return target


def _required_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise _field_error(
            "reason",
            "Give a reason: the author and the audit log see it.",
            "reason_required",
        )
    if len(reason) > REASON_MAX:
        raise _field_error(
            "reason", limits.length_message(REASON_MAX, len(reason)), "max_length"
        )
    return reason


def _reindex(target: Target) -> None:
    """Search documents follow answers and questions (comments are not indexed)."""
    if isinstance(target, Question):
        signals.questions_changed([target.pk])
    elif isinstance(target, Answer):
        signals.answers_changed([target.pk])


def author_of(target: Target) -> User | None:
    """The account told about moderation: the asker, the answer's writer (or
    the account of the person who signs it), the comment's author."""
    if isinstance(target, Question):
        return target.asker
    if isinstance(target, Answer):
        return target.author or target.contributor.user
    return target.author


def _tell_author(
    target: Target, verb: str, reason: str, *, link: Question | None = None
) -> None:
    author = author_of(target)
    if author is None or not author.is_active:
        return
    question = target if isinstance(target, Question) else _question_of(target)
    shown = verb in {"restored", "approved", "closed as a duplicate"}
    send_after_commit(
        author.email,
        "moderation/email/moderated",
        {
            "user": author,
            "kind": kind_of(target),
            "verb": verb,
            "question": question,
            "reason": reason,
            "url": _site_url(question.get_absolute_url()) if shown else "",
            "original_url": _site_url(link.get_absolute_url()) if link else "",
        },
    )


def _question_of(target: Answer | Comment) -> Question:
    return target.question if isinstance(target, Answer) else target.answer.question


def _site_url(path: str) -> str:
    return absolute(settings.ASKWELL_SITE_URL or "", path)


# --- duplicates ---------------------------------------------------------------------


def close_as_duplicate(
    editor: User, question: Question, *, original: Question, reason: str = ""
) -> Question:
    """Close `question` as a duplicate of `original`: its page points there,
    and the original lists it."""
    check_can_moderate(editor)
    reason = reason.strip()[:REASON_MAX]
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=question.pk)
        original = Question.objects.get(pk=original.pk)
        if original.pk == question.pk:
            raise _field_error(
                "original", "A question cannot duplicate itself.", "self"
            )
        if original.moderation != Question.Moderation.VISIBLE:
            raise _field_error(
                "original", "Choose a question readers can see.", "not_visible"
            )
        if original.duplicate_of_id is not None:
            raise _field_error(
                "original",
                "That question is itself closed as a duplicate; "
                "choose the question it points to.",
                "chain",
            )
        before = _duplicate_state(question)
        question.status = Question.Status.CLOSED
        question.duplicate_of = original
        question.save(update_fields=["status", "duplicate_of", "updated_at"])
        log_action(
            question,
            "question.closed_as_duplicate",
            editor,
            {"reason": reason, "original": original.slug},
            before=before,
            after=_duplicate_state(question),
        )
        signals.question_closed_as_duplicate.send(
            sender=Question, question=question, original=original, actor=editor
        )
        _tell_author(question, "closed as a duplicate", reason, link=original)
    return question


def reopen_question(editor: User, question: Question, *, reason: str) -> Question:
    """Undo `close_as_duplicate`: the question is open (or answered) again."""
    check_can_moderate(editor)
    reason = _required_reason(reason)
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=question.pk)
        if question.status != Question.Status.CLOSED:
            raise ValidationError("This question is not closed.", code="not_closed")
        before = _duplicate_state(question)
        answered = question.answers.published().exists()
        question.status = Question.Status.ANSWERED if answered else Question.Status.OPEN
        question.duplicate_of = None
        question.save(update_fields=["status", "duplicate_of", "updated_at"])
        log_action(
            question,
            "question.reopened",
            editor,
            {"reason": reason},
            before=before,
            after=_duplicate_state(question),
        )
    return question


def _duplicate_state(question: Question) -> dict[str, Any]:
    return {"status": question.status, "duplicate_of": question.duplicate_of_id}


# --- held questions: the first review ----------------------------------------------


def approve_question(editor: User, question: Question, *, note: str = "") -> Question:
    """Publish a held question, and tell its topics' followers about it."""
    check_can_moderate(editor)
    note = note.strip()[:REASON_MAX]
    with transaction.atomic():
        question = _held(question)
        question.moderation = Question.Moderation.VISIBLE
        question.save(update_fields=["moderation", "updated_at"])
        log_action(
            question,
            "question.approved",
            editor,
            {"note": note},
            before={"moderation": Question.Moderation.HELD},
            after={"moderation": question.moderation},
        )
        signals.questions_changed([question.pk])
        # The asker stands as the actor, as when a question is posted: it
        # keeps them out of the recipients, and the text never names them
        # when they asked anonymously.
        signals.question_asked.send(
            sender=Question, question=question, actor=question.asker
        )
        _tell_author(question, "approved", note)
    return question


def reject_question(editor: User, question: Question, *, reason: str) -> Question:
    """Turn down a held question: it is soft-deleted, restorable by an editor."""
    check_can_moderate(editor)
    reason = _required_reason(reason)
    with transaction.atomic():
        question = _held(question)
        question.moderation = Question.Moderation.DELETED
        question.save(update_fields=["moderation", "updated_at"])
        log_action(
            question,
            "question.rejected",
            editor,
            {"reason": reason},
            before={"moderation": Question.Moderation.HELD},
            after={"moderation": question.moderation},
        )
        _tell_author(question, "rejected", reason)
    return question


def _held(question: Question) -> Question:
    question = (
        Question.objects.select_for_update(of=("self",))
        .select_related("asker")
        .get(pk=question.pk)
    )
    if question.moderation != Question.Moderation.HELD:
        raise ValidationError(
            "This question is not waiting for review.", code="not_held"
        )
    return question


# --- privacy ------------------------------------------------------------------------


def export_own_data(user: User) -> dict[str, Any]:
    """Everything Askwell holds about `user`, as JSON-ready data (see
    privacy.collect_user_data); the export is itself audited."""
    from askwell.moderation.privacy import collect_user_data

    check_can_manage_own_data(user)
    with transaction.atomic():
        data = collect_user_data(user)
        # Logged without the account as its object: the entry's object name
        # would keep the username after the account is deleted.
        log_action(None, "account.exported", user, {"user_id": user.pk})
    return data


def delete_account(user: User, *, password: str, confirmation: str) -> dict[str, int]:
    """Delete `user`'s account under the rule the delete page states
    (privacy.DELETION_RULE). Returns what was done, by kind of row."""
    from askwell.moderation.privacy import erase_user

    check_can_delete_account(user)
    if not user.check_password(password):
        raise _field_error("password", "That is not your password.", "wrong_password")
    if " ".join(confirmation.lower().split()) != DELETE_CONFIRMATION:
        raise _field_error(
            "confirmation", f"Type “{DELETE_CONFIRMATION}” to confirm.", "not_confirmed"
        )
    with transaction.atomic():
        done = erase_user(user)
        # After erasing, so the entry's object name is the scrubbed one.
        log_action(user, "account.deleted", user, done)
    return done
