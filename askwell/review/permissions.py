"""Who may medically review: editors with the review permission (or admins),
never on an answer they signed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from askwell.accounts.roles import is_admin, is_editor, posting_contributors

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, Group

    from askwell.accounts.models import User
    from askwell.questions.models import Answer

REVIEWERS = "Medical reviewers"


def reviewers_group() -> Group:
    """The "Medical reviewers" group with its permission (migration 0002
    creates it; this brings it back wherever it was removed)."""
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name=REVIEWERS)
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="review", codename="review_answer"
        )
    )
    return group


def is_reviewer(user: User | AnonymousUser) -> bool:
    if is_admin(user):
        return True
    return is_editor(user) and user.has_perm("review.review_answer")


def check_is_reviewer(user: User | AnonymousUser) -> None:
    if not is_reviewer(user):
        raise PermissionDenied("Only medical reviewers can see the review queues.")


def can_review(user: User | AnonymousUser, answer: Answer) -> bool:
    return is_reviewer(user) and answer.contributor_id not in {
        c.pk for c in posting_contributors(user)
    }


def check_can_review(user: User | AnonymousUser, answer: Answer) -> None:
    check_is_reviewer(user)
    if not can_review(user, answer):
        raise PermissionDenied("You cannot review an answer you signed.")
