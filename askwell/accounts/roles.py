"""Who a user is on Askwell: reader, editor or admin.

- reader: any signed-in, active user;
- editor: a member of the "Editors" group (medical editors and moderators);
- admin: a superuser.

The expert role, which depends on verified contributors, is experts' own
(askwell/experts/roles.py). Permission rules (`<app>/permissions.py`) are
written in these terms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeGuard

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from askwell.accounts.models import User

EDITORS = "Editors"


def is_reader(user: User | AnonymousUser) -> TypeGuard[User]:
    return bool(user.is_authenticated and user.is_active)


def is_admin(user: User | AnonymousUser) -> bool:
    return is_reader(user) and bool(user.is_superuser)


def is_editor(user: User | AnonymousUser) -> bool:
    """Editors and admins: the group membership is read once per user object."""
    if not is_reader(user):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_askwell_is_editor", None)
    if cached is None:
        cached = user.groups.filter(name=EDITORS).exists()
        user._askwell_is_editor = cached  # type: ignore[attr-defined]  # a cache on the object, not a field
    return cached
