"""Who may follow, save and manage notifications: any reader (active, signed in)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeGuard

from django.core.exceptions import PermissionDenied

from askwell.accounts.roles import is_reader

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from askwell.accounts.models import User


def can_follow(user: User | AnonymousUser) -> TypeGuard[User]:
    """Following topics and questions, and saving questions."""
    return is_reader(user)


def check_can_follow(user: User | AnonymousUser) -> User:
    """Returns `user`, known from here on to be a reader."""
    if not can_follow(user):
        raise PermissionDenied("Sign in to follow topics and questions.")
    return user


def check_can_manage_notifications(user: User | AnonymousUser) -> User:
    """Reading one's own notifications and changing one's preferences.
    Returns `user`, known from here on to be a reader."""
    if not is_reader(user):
        raise PermissionDenied("Sign in to see your notifications.")
    return user
