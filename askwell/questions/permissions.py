"""Who may do what with questions and answers: one named rule per action.

`can_*` answer yes or no (templates use them to show or hide a control);
`check_can_*` raise PermissionDenied with a message for the person refused.
Actions call the `check_` form, so pages, the API and the admin agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from askwell.accounts.roles import is_editor, is_reader
from askwell.experts.roles import posting_contributors

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from askwell.accounts.models import User
    from askwell.experts.models import Contributor
    from askwell.questions.models import Answer, Question, Revision

    AnyUser = User | AnonymousUser


def can_ask(user: AnyUser) -> bool:
    return is_reader(user)


def check_can_ask(user: AnyUser) -> None:
    if not can_ask(user):
        raise PermissionDenied("Sign in to ask a question.")


def can_preview(user: AnyUser) -> bool:
    """Anyone who may ask or answer: the preview renders what they write."""
    return can_ask(user) or bool(posting_contributors(user))


def check_can_preview(user: AnyUser) -> None:
    if not can_preview(user):
        raise PermissionDenied("Sign in to preview what you write.")


def can_edit_question(user: AnyUser, question: Question) -> bool:
    """The asker, or an editor."""
    if not is_reader(user):
        return False
    return is_editor(user) or (
        question.asker_id is not None and question.asker_id == user.pk
    )


def check_can_edit_question(user: AnyUser, question: Question) -> None:
    if not can_edit_question(user, question):
        raise PermissionDenied("Only the person who asked, or an editor, can edit it.")


def can_answer_questions(user: AnyUser) -> bool:
    """A verified expert, or a member of a verified organization: who
    answers, and whom For you lists questions to answer for."""
    return bool(posting_contributors(user))


def can_answer(user: AnyUser, question: Question) -> bool:
    """A verified expert (or organization member) with a contributor that has
    not answered yet, on a question that is not closed."""
    return bool(answering_contributors(user, question))


def answering_contributors(user: AnyUser, question: Question) -> list[Contributor]:
    """The verified contributors `user` may still answer `question` as."""
    from askwell.questions.models import Question as QuestionModel

    if question.status == QuestionModel.Status.CLOSED:
        return []
    mine = posting_contributors(user)
    if not mine:
        return []
    answered = set(
        question.answers.filter(contributor__in=mine).values_list(
            "contributor_id", flat=True
        )
    )
    return [c for c in mine if c.pk not in answered]


def check_can_answer(
    user: AnyUser, question: Question, contributor: Contributor
) -> None:
    from askwell.questions.models import Question as QuestionModel

    if question.status == QuestionModel.Status.CLOSED:
        raise PermissionDenied("This question is closed to new answers.")
    if contributor not in posting_contributors(user):
        raise PermissionDenied(
            "Only verified experts, or members of a verified organization, can answer."
        )
    if question.answers.filter(contributor=contributor).exists():
        raise PermissionDenied(
            f"{contributor.signature} has already answered; edit that answer instead."
        )


def signs(user: AnyUser, answer: Answer) -> bool:
    """Whether `user` may sign as the answer's contributor now: its person,
    or a member of its organization."""
    return answer.contributor_id in {c.pk for c in posting_contributors(user)}


def can_edit_answer(user: AnyUser, answer: Answer) -> bool:
    """Its signer's account (the person, or a member of the organization), or
    an editor.

    Editors may correct an expert's words (an answer whose source has no
    account here would otherwise keep a dangerous error), but never
    quietly: questions/actions.py records such an edit as not by the
    signer, shows it on the answer, sends the answer back to medical review
    and tells the signer, and review/permissions.py keeps its editor from
    reviewing it.
    """
    if not is_reader(user):
        return False
    return is_editor(user) or signs(user, answer)


def check_can_edit_answer(user: AnyUser, answer: Answer) -> None:
    if not can_edit_answer(user, answer):
        raise PermissionDenied("Only the answer's author, or an editor, can edit it.")


def can_mark_helpful(user: AnyUser, answer: Answer) -> bool:
    """Any reader, except on an answer they signed."""
    return is_reader(user) and answer.contributor_id not in {
        c.pk for c in posting_contributors(user)
    }


def check_can_mark_helpful(user: AnyUser, answer: Answer) -> None:
    if not is_reader(user):
        raise PermissionDenied("Sign in to mark an answer helpful.")
    if not can_mark_helpful(user, answer):
        raise PermissionDenied("You cannot mark your own answer helpful.")


def endorsing_contributors(user: AnyUser, answer: Answer) -> list[Contributor]:
    """The verified contributors `user` may endorse `answer` as (not its author)."""
    return [c for c in posting_contributors(user) if c.pk != answer.contributor_id]


def can_endorse(user: AnyUser, answer: Answer) -> bool:
    return bool(endorsing_contributors(user, answer))


def check_can_endorse(user: AnyUser, answer: Answer, contributor: Contributor) -> None:
    if contributor.pk == answer.contributor_id:
        raise PermissionDenied("An answer cannot be endorsed by its own author.")
    if contributor not in posting_contributors(user):
        raise PermissionDenied("Only verified experts can endorse or dispute answers.")


def can_comment(user: AnyUser, answer: Answer) -> bool:
    """The asker, verified experts and editors: comments are for clarification."""
    if not is_reader(user):
        return False
    if is_editor(user) or posting_contributors(user):
        return True
    return answer.question.asker_id is not None and answer.question.asker_id == user.pk


def check_can_comment(user: AnyUser, answer: Answer) -> None:
    if not can_comment(user, answer):
        raise PermissionDenied("Comments are for the person who asked and for experts.")


def can_restore_revision(user: AnyUser, revision: Revision) -> bool:
    return is_editor(user)


def check_can_restore_revision(user: AnyUser, revision: Revision) -> None:
    if not can_restore_revision(user, revision):
        raise PermissionDenied("Only editors can restore an earlier revision.")


def can_see_asker(user: AnyUser, question: Question) -> bool:
    """Everyone, unless the question was posted anonymously: then the asker and editors."""
    if not question.is_anonymous:
        return True
    return is_editor(user) or (
        is_reader(user)
        and question.asker_id is not None
        and question.asker_id == user.pk
    )
