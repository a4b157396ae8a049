"""Who may do what with expert verification and organization membership.

`can_*` answer yes or no for templates; `check_can_*` raise PermissionDenied
with a message the reader sees on the 403 page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from askwell.accounts import roles

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from askwell.accounts.models import User
    from askwell.experts.models import Contributor, CredentialApplication


def can_apply_for_verification(user: User | AnonymousUser) -> bool:
    return roles.is_reader(user)


def check_can_apply_for_verification(user: User | AnonymousUser) -> None:
    if not can_apply_for_verification(user):
        raise PermissionDenied("Sign in to apply to become a verified expert.")


def can_review_applications(user: User | AnonymousUser) -> bool:
    return roles.is_editor(user)


def check_can_review_applications(user: User | AnonymousUser) -> None:
    if not can_review_applications(user):
        raise PermissionDenied("Only editors can review expert applications.")


def can_decide_application(
    user: User | AnonymousUser, application: CredentialApplication
) -> bool:
    """Editors decide, but never on their own application."""
    return can_review_applications(user) and application.applicant_id != user.pk


def check_can_decide_application(
    user: User | AnonymousUser, application: CredentialApplication
) -> None:
    check_can_review_applications(user)
    if not can_decide_application(user, application):
        raise PermissionDenied("Another editor must decide on your own application.")


def can_manage_members(user: User | AnonymousUser, organization: Contributor) -> bool:
    """Editors, and the organization's own members, manage who posts as it."""
    if not organization.is_organization or not roles.is_reader(user):
        return False
    if roles.is_editor(user):
        return True
    return organization.members.filter(pk=user.pk).exists()


def check_can_manage_members(
    user: User | AnonymousUser, organization: Contributor
) -> None:
    if not organization.is_organization:
        raise PermissionDenied("Only organizations have members.")
    if not can_manage_members(user, organization):
        raise PermissionDenied(
            f"Only editors and members of {organization.name} can manage its members."
        )
