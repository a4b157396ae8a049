"""Who may do what with expert verification and organization membership.

`can_*` answer yes or no for templates; `check_can_*` raise PermissionDenied
with a message the reader sees on the 403 page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from askwell.accounts import roles
from askwell.experts.models import Membership

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


def can_verify_contributor(
    user: User | AnonymousUser, contributor: Contributor
) -> bool:
    """Editors verify a contributor, or withdraw it, in the admin; never
    their own profile (as with their own application)."""
    return can_review_applications(user) and (
        contributor.user_id is None or contributor.user_id != user.pk
    )


def check_can_verify_contributor(
    user: User | AnonymousUser, contributor: Contributor
) -> None:
    check_can_review_applications(user)
    if not can_verify_contributor(user, contributor):
        raise PermissionDenied("Another editor must verify your own profile.")


def can_manage_members(user: User | AnonymousUser, organization: Contributor) -> bool:
    """Editors, and the organization's administrators, invite and remove members.

    Plain members post as the organization but cannot bring anyone in: every
    membership needs an administrator's or an editor's invitation and the
    invitee's acceptance.
    """
    if not organization.is_organization or not roles.is_reader(user):
        return False
    if roles.is_editor(user):
        return True
    return (
        organization.memberships.active()
        .filter(user=user, role=Membership.Role.ADMIN)
        .exists()
    )


def check_can_manage_members(
    user: User | AnonymousUser, organization: Contributor
) -> None:
    if not organization.is_organization:
        raise PermissionDenied("Only organizations have members.")
    if not can_manage_members(user, organization):
        raise PermissionDenied(
            f"Only editors and administrators of {organization.name} can invite "
            "and remove its members."
        )


def can_see_members(user: User | AnonymousUser, organization: Contributor) -> bool:
    """Those who manage the members, and the members themselves (who may leave)."""
    if can_manage_members(user, organization):
        return True
    return (
        organization.is_organization
        and roles.is_reader(user)
        and organization.memberships.active().filter(user=user).exists()
    )


def check_can_see_members(
    user: User | AnonymousUser, organization: Contributor
) -> None:
    if not organization.is_organization:
        raise PermissionDenied("Only organizations have members.")
    if not can_see_members(user, organization):
        raise PermissionDenied(
            f"Only editors and members of {organization.name} can see its members."
        )


def can_edit_profile(user: User | AnonymousUser, contributor: Contributor) -> bool:
    """A person edits their own profile's bio and photo; an organization's
    administrators and editors edit its description and logo. Name,
    credentials and verification are editors' decisions, elsewhere."""
    if contributor.is_organization:
        return can_manage_members(user, contributor)
    return roles.is_reader(user) and contributor.user_id == user.pk


def check_can_edit_profile(
    user: User | AnonymousUser, contributor: Contributor
) -> None:
    if not can_edit_profile(user, contributor):
        raise PermissionDenied(
            f"Only editors and administrators of {contributor.name} can edit its "
            "profile."
            if contributor.is_organization
            else "Only the person a profile belongs to can edit it."
        )


def check_can_answer_invitation(
    user: User | AnonymousUser, membership: Membership
) -> None:
    """Only the invitee accepts or declines: nobody joins on another's behalf."""
    if not roles.is_reader(user) or membership.user_id != user.pk:
        raise PermissionDenied("Only the person invited can answer an invitation.")
