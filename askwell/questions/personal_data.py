"""Questions' part of a person's data (askwell/accounts/personal_data.py):
what they asked, answered, commented, marked and endorsed, and what their
account deletion does to it. Registered in QuestionsConfig.ready()."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from askwell.accounts.personal_data import when
from askwell.questions.models import (
    Answer,
    Comment,
    Endorsement,
    HelpfulMark,
    Question,
    Revision,
)

if TYPE_CHECKING:
    from askwell.accounts.models import User


def export(user: User) -> dict[str, Any]:
    """Other people appear only as what the site already shows publicly
    (a contributor's signature, a question's title): never an asker's
    name, even for the person's own activity on someone else's question."""
    questions = Question.objects.filter(asker=user).prefetch_related("topics")
    return {
        "questions": [
            {
                "title": q.title,
                "details": q.details,
                "url": q.get_absolute_url(),
                "anonymous": q.is_anonymous,
                "status": q.status,
                "moderation": q.moderation,
                "topics": sorted(t.name for t in q.topics.all()),
                "created_at": when(q.created_at),
            }
            for q in questions.order_by("created_at", "pk")
        ],
        "answers": [
            {
                "question": a.question.title,
                "url": a.get_absolute_url(),
                "signed_as": a.contributor.signature,
                "body": a.body,
                "status": a.status,
                "created_at": when(a.created_at),
                "updated_at": when(a.updated_at),
            }
            for a in Answer.objects.filter(author=user)
            .select_related("question", "contributor")
            .order_by("created_at", "pk")
        ],
        "comments": [
            {
                "question": c.answer.question.title,
                "url": c.get_absolute_url(),
                "body": c.body,
                "status": c.status,
                "created_at": when(c.created_at),
            }
            for c in Comment.objects.filter(author=user)
            .select_related("answer__question")
            .order_by("created_at", "pk")
        ],
        "helpful_marks": [
            {
                "answer": m.answer.get_absolute_url(),
                "question": m.answer.question.title,
                "created_at": when(m.created_at),
            }
            for m in HelpfulMark.objects.filter(user=user)
            .select_related("answer__question")
            .order_by("created_at", "pk")
        ],
        "endorsements": [
            {
                "answer": e.answer.get_absolute_url(),
                "as": e.contributor.signature,
                "kind": e.kind,
                "reason": e.reason,
                "created_at": when(e.created_at),
            }
            for e in Endorsement.objects.filter(user=user)
            .select_related("answer__question", "contributor")
            .order_by("created_at", "pk")
        ],
    }


def erase(user: User) -> dict[str, int]:
    """Questions stay, anonymous and unlinked; comments, answers, revisions
    and endorsements stay without the account; helpful marks go."""
    return {
        "questions_anonymized": Question.objects.filter(asker=user).update(
            asker=None, is_anonymous=True
        ),
        "comments_kept_without_author": Comment.objects.filter(author=user).update(
            author=None
        ),
        "answers_unlinked": Answer.objects.filter(author=user).update(author=None),
        "revisions_unlinked": Revision.objects.filter(author=user).update(author=None),
        "endorsements_unlinked": Endorsement.objects.filter(user=user).update(
            user=None
        ),
        "helpful_marks_deleted": HelpfulMark.objects.filter(user=user).delete()[0],
    }
