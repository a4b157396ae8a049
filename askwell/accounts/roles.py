"""Who a user is on Askwell: reader, expert, editor or admin.

- reader: any signed-in, active user;
- expert: a user who may post as a verified contributor: their own person
  contributor once an editor verified it, or a verified organization whose
  invitation they accepted (and have not left);
- editor: a member of the "Editors" group (medical editors and moderators);
- admin: a superuser.

Permission rules (`<app>/permissions.py`) are written in these terms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from askwell.accounts.models import User
    from askwell.experts.models import Contributor

EDITORS = "Editors"


def is_reader(user: User | AnonymousUser) -> bool:
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
        user._askwell_is_editor = cached  # type: ignore[union-attr]
    return cached


def posting_contributors(user: User | AnonymousUser) -> list[Contributor]:
    """The verified contributors `user` may sign answers as: their own profile
    and the organizations they belong to, the person first."""
    from askwell.experts.models import Contributor, Membership

    if not is_reader(user):
        return []
    cached = getattr(user, "_askwell_contributors", None)
    if cached is None:
        # One filter() call, so both conditions hold for the same membership.
        found = Contributor.objects.filter(is_verified=True).filter(
            Q(user=user)
            | Q(memberships__user=user, memberships__status=Membership.Status.ACTIVE)
        )
        cached = sorted(set(found), key=lambda c: (c.is_organization, c.name, c.pk))
        # Read once per user object (one request): pages ask for every answer.
        user._askwell_contributors = cached  # type: ignore[union-attr]
    return list(cached)


def is_expert(user: User | AnonymousUser) -> bool:
    return bool(posting_contributors(user))
