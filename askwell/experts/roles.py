"""Who posts as an expert.

- expert: a user who may post as a verified contributor: their own person
  contributor once an editor verified it, or a verified organization whose
  invitation they accepted (and have not left).

The other roles (reader, editor, admin) are in askwell/accounts/roles.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from askwell.accounts.roles import is_reader
from askwell.experts.models import Contributor, Membership

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from askwell.accounts.models import User


def posting_contributors(user: User | AnonymousUser) -> list[Contributor]:
    """The verified contributors `user` may sign answers as: their own profile
    and the organizations they belong to, the person first."""
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
        user._askwell_contributors = cached  # type: ignore[attr-defined]  # a cache on the object, not a field
    return list(cached)


def is_expert(user: User | AnonymousUser) -> bool:
    return bool(posting_contributors(user))
