"""Who may flag, moderate, browse the audit log and manage their own data.

`can_*` answer yes or no (templates show or hide a control); `check_can_*`
raise PermissionDenied with a message for the person refused. Actions call
the `check_` form, so pages and any other caller agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeGuard

from django.core.exceptions import PermissionDenied

from askwell.accounts.roles import is_editor, is_reader

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from askwell.accounts.models import User

    AnyUser = User | AnonymousUser


def can_flag(user: AnyUser) -> TypeGuard[User]:
    return is_reader(user)


def check_can_flag(user: AnyUser) -> User:
    """Returns `user`, known from here on to be a reader."""
    if not can_flag(user):
        raise PermissionDenied("Sign in to report something to the editors.")
    return user


def can_moderate(user: AnyUser) -> bool:
    """Editors (and admins) hide, delete, restore, close and approve."""
    return is_editor(user)


def check_can_moderate(user: AnyUser) -> None:
    if not can_moderate(user):
        raise PermissionDenied("Only editors can moderate content.")


def can_browse_audit_log(user: AnyUser) -> bool:
    """Editors (and admins) read the log of their own and each other's
    actions; nobody writes to it from the site."""
    return is_editor(user)


def check_can_browse_audit_log(user: AnyUser) -> None:
    if not can_browse_audit_log(user):
        raise PermissionDenied("Only editors can read the audit log.")


def can_manage_own_data(user: AnyUser) -> bool:
    return is_reader(user)


def check_can_manage_own_data(user: AnyUser) -> None:
    if not can_manage_own_data(user):
        raise PermissionDenied("Sign in to download or delete your data.")


def check_can_delete_account(user: AnyUser) -> None:
    if not is_reader(user):
        raise PermissionDenied("Sign in to delete your account.")
    if user.is_superuser:
        # The last administrator deleting themselves would lock everyone out.
        raise PermissionDenied(
            "An administrator account cannot be deleted here: ask another "
            "administrator to remove your administrator rights first."
        )
