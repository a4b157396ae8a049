"""Every contribution action × every role: allowed or denied, and a denied
write changes nothing.

Roles: anonymous visitor, reader, expert whose credentials are not verified
yet, verified expert, editor, admin. Each action targets content that is not
the acting user's own (their own content has its own tests).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from askwell.accounts.tests.factories import EditorFactory, UserFactory
from askwell.experts.tests.factories import ContributorFactory
from askwell.questions import actions
from askwell.questions.models import (
    Answer,
    Comment,
    Endorsement,
    HelpfulMark,
    Question,
    Reference,
    Revision,
)
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "reader",
    "unverified_expert",
    "verified_expert",
    "editor",
    "admin",
]

ALLOWED = {
    "ask": {"reader", "unverified_expert", "verified_expert", "editor", "admin"},
    "edit_question": {"editor", "admin"},
    "answer": {"verified_expert"},
    "edit_answer": {"editor", "admin"},
    "mark_helpful": {
        "reader",
        "unverified_expert",
        "verified_expert",
        "editor",
        "admin",
    },
    "endorse": {"verified_expert"},
    "comment": {"verified_expert", "editor", "admin"},
    "restore_revision": {"editor", "admin"},
}


def _user(role: str):
    if role == "anonymous":
        return AnonymousUser()
    if role == "editor":
        return EditorFactory()
    if role == "admin":
        return UserFactory(is_superuser=True, is_staff=True)
    user = UserFactory()
    if role == "unverified_expert":
        ContributorFactory(user=user, is_verified=False, verified_at=None)
    if role == "verified_expert":
        ContributorFactory(user=user)
    return user


def _contributor_for(user):
    """The contributor an action would be signed as (a stranger's for the others)."""
    return getattr(user, "contributor", None) if user.is_authenticated else None


def _state() -> dict[str, object]:
    """Everything a contribution action can write."""
    return {
        "questions": list(
            Question.objects.order_by("pk").values_list("pk", "title", "details")
        ),
        "answers": list(
            Answer.objects.order_by("pk").values_list("pk", "body", "stance")
        ),
        "revisions": Revision.objects.count(),
        "references": Reference.objects.count(),
        "helpful": HelpfulMark.objects.count(),
        "endorsements": Endorsement.objects.count(),
        "comments": Comment.objects.count(),
    }


def _perform(action: str, user, answer: Answer, revision: Revision) -> None:
    contributor = _contributor_for(user) or ContributorFactory()
    question = answer.question
    match action:
        case "ask":
            actions.ask_question(user, title="Is gout hereditary?")
        case "edit_question":
            actions.edit_question(
                user, question, title="Changed?", details="", topics=[]
            )
        case "answer":
            actions.post_answer(
                user,
                question,
                contributor=contributor,
                body="Rest and fluids help most people.",
            )
        case "edit_answer":
            actions.edit_answer(
                user, answer, body="Rewritten by someone else entirely."
            )
        case "mark_helpful":
            actions.mark_helpful(user, answer)
        case "endorse":
            actions.endorse_answer(
                user, answer, contributor=contributor, reason="Agreed."
            )
        case "comment":
            actions.post_comment(user, answer, body="Could you say more about dosing?")
        case "restore_revision":
            actions.restore_revision(user, revision)
        case _:
            raise AssertionError(action)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_permission_matrix(action, role):
    # given: someone else's question with someone else's answer, edited once
    question = QuestionFactory(asker=UserFactory(), status="open")
    answer = AnswerFactory(question=question)
    owner = UserFactory()
    answer.contributor.user = owner
    answer.contributor.save(update_fields=["user"])
    revision = Revision.objects.create(
        question=question, answer=answer, number=1, body=answer.body, extra={}
    )
    user = _user(role)
    before = _state()

    # when / then
    if role in ALLOWED[action]:
        _perform(action, user, answer, revision)
        assert _state() != before
    else:
        with pytest.raises(PermissionDenied):
            _perform(action, user, answer, revision)
        assert _state() == before
