"""Who may medically review: editors with the review permission (or admins),
and never an answer whose words are, in part, their own.

A review means someone else checked these exact words. A reviewer is
disqualified from an answer (every version of it, not just the newest) when

- they sign it: it is their own profile's, or an organization's they are a
  member of now;
- they wrote any of its versions (Answer.author, Revision.author): an
  editor's edit of an expert's answer, or an answer they wrote for an
  organization they have since left;
- they were a member of the signing organization when any version was
  written (experts.Membership keeps when each membership ran).

Earlier versions count because their words may survive later edits. The
rule is one set of conditions (`conflicts`), read for one answer by the
review page and action, and applied to whole queues by review/queries.py.
"""

from __future__ import annotations

import operator
from functools import reduce
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q

from askwell.accounts.roles import is_admin, is_editor
from askwell.experts.models import Membership
from askwell.questions.models import Answer, Revision

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet

    from askwell.accounts.models import User

REVIEWERS = "Medical reviewers"


def is_reviewer(user: User | AnonymousUser) -> bool:
    if is_admin(user):
        return True
    return is_editor(user) and user.has_perm("review.review_answer")


def check_is_reviewer(user: User | AnonymousUser) -> None:
    if not is_reviewer(user):
        raise PermissionDenied("Only medical reviewers can see the review queues.")


def conflicts(user: User) -> dict[str, Q]:
    """Each reason `user` may not review an answer, as a condition on Answer
    rows (the names are the keys of CONFLICT_MESSAGES; a reason that cannot
    apply to `user` is left out).

    Reads `user`'s memberships (one small query) and writes them into the
    conditions as organization ids and time windows: a reviewer belongs to
    a handful of organizations at most, and a queue's conditions are then
    plain comparisons, not subqueries per row."""
    memberships = list(
        Membership.objects.filter(user=user).values_list(
            "organization_id", "status", "joined_at", "left_at"
        )
    )
    signs = Q(contributor__user=user)
    active = [
        org for org, status, _, _ in memberships if status == Membership.Status.ACTIVE
    ]
    if active:
        signs |= Q(contributor_id__in=active)
    found = {
        "signs": signs,
        "wrote": Q(author=user)
        | Q(Exists(Revision.objects.filter(answer=OuterRef("pk"), author=user))),
    }
    # Membership.objects.during(moment): joined by then, and not yet left.
    windows: dict[int, list[Q]] = {}
    for org, _, joined, left in memberships:
        if joined is None:  # an invitation never accepted
            continue
        window = Q(created_at__gte=joined)
        if left is not None:
            window &= Q(created_at__lt=left)
        windows.setdefault(org, []).append(window)
    member_then = [
        Q(contributor_id=org)
        & (
            reduce(operator.or_, spans)
            | Q(
                Exists(
                    Revision.objects.filter(answer=OuterRef("pk")).filter(
                        reduce(operator.or_, spans)
                    )
                )
            )
        )
        for org, spans in windows.items()
    ]
    if member_then:
        found["member_then"] = reduce(operator.or_, member_then)
    return found


CONFLICT_MESSAGES = {
    "signs": "You cannot review an answer you signed: you post as {contributor}.",
    "wrote": "You cannot review this answer: you wrote some of its words. "
    "Another reviewer must review it.",
    "member_then": "You cannot review this answer: you were a member of "
    "{contributor} when it was written. Another reviewer must review it.",
}


def review_conflict(user: User | AnonymousUser, answer: Answer) -> str:
    """Why `user` may not review `answer`, or "" when nothing stands in the
    way but the reviewer role (one query)."""
    if not user.is_authenticated:
        return ""
    conditions = conflicts(user)
    found = (
        Answer.objects.filter(pk=answer.pk)
        .annotate(
            **{
                name: ExpressionWrapper(condition, output_field=BooleanField())
                for name, condition in conditions.items()
            }
        )
        .values(*conditions)
        .first()
    )
    for name in conditions:
        if found and found[name]:
            return CONFLICT_MESSAGES[name].format(contributor=answer.contributor.name)
    return ""


def without_conflicts(answers: QuerySet[Answer], user: User) -> QuerySet[Answer]:
    """`answers` less those `user` may not review (one condition per reason,
    evaluated in the same query)."""
    for condition in conflicts(user).values():
        answers = answers.exclude(condition)
    return answers


IDENTITY_MESSAGE = (
    "Readers see every review signed with the reviewer's name and credentials, "
    "so you need a contributor profile with your display name before you can "
    "review. Ask an editor to create one for your account."
)


def reviewer_identity_missing(user: User | AnonymousUser) -> str:
    """Why `user` cannot sign a review yet, or "" when they can.

    Readers see "Medically reviewed by <display name>, <credentials>": a
    reviewer needs a person's contributor profile (experts.Contributor) with
    a name. Reads `user.contributor` (one query unless selected)."""
    profile = getattr(user, "contributor", None) if user.is_authenticated else None
    if (
        profile is None
        or profile.kind != profile.Kind.PERSON
        or not profile.name.strip()
    ):
        return IDENTITY_MESSAGE
    return ""


def can_review(user: User | AnonymousUser, answer: Answer) -> bool:
    return is_reviewer(user) and not review_conflict(user, answer)


def check_can_review(user: User | AnonymousUser, answer: Answer) -> None:
    check_is_reviewer(user)
    conflict = review_conflict(user, answer)
    if conflict:
        raise PermissionDenied(conflict)
