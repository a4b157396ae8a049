"""Signed, expiring links for email verification and change of email.

A token carries the user's id, an optional payload (the new address) and a
hash of the account's state: its email and password hash, and for
verification also whether it is active and its last sign-in. Any of those
changing (the link was followed, the password was reset, the address already
changed) makes the token invalid, so every link works once. Tokens are signed with SECRET_KEY and a purpose-specific
salt, so a link for one purpose is worthless for another.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from askwell.accounts.models import User

VERIFY_EMAIL = "askwell.accounts.verify-email"
CHANGE_EMAIL = "askwell.accounts.change-email"

# How long a link stays valid, in seconds.
MAX_AGE = {
    VERIFY_EMAIL: 3 * 24 * 3600,
    CHANGE_EMAIL: 2 * 24 * 3600,
}


class TokenExpired(Exception):
    """The link was genuine but is too old."""


class TokenInvalid(Exception):
    """The link was tampered with, already used, or its account changed."""


@dataclass(frozen=True)
class CheckedToken:
    user: User
    payload: str


def _state(user: User, purpose: str) -> str:
    value = f"{user.pk}|{user.email}|{user.password}"
    if purpose == VERIFY_EMAIL:
        # Following the link activates the account and signs it in.
        last_login = "" if user.last_login is None else user.last_login.isoformat()
        value += f"|{user.is_active}|{last_login}"
    # A change-of-email link must survive signing in (the confirmation page
    # asks for it); the change itself alters the email and ends the link.
    return salted_hmac(purpose, value, algorithm="sha256").hexdigest()


def make_token(user: User, purpose: str, payload: str = "") -> str:
    return signing.dumps(
        {"u": user.pk, "p": payload, "s": _state(user, purpose)}, salt=purpose
    )


def check_token(token: str, purpose: str) -> CheckedToken:
    """The user and payload of a valid token; raises TokenExpired or TokenInvalid."""
    try:
        data = signing.loads(token, salt=purpose, max_age=MAX_AGE[purpose])
    except signing.SignatureExpired:
        raise TokenExpired from None
    except signing.BadSignature:
        raise TokenInvalid from None
    try:
        user = User.objects.get(pk=data["u"])
    except (User.DoesNotExist, KeyError, TypeError, ValueError):
        raise TokenInvalid from None
    if not constant_time_compare(str(data.get("s", "")), _state(user, purpose)):
        raise TokenInvalid
    return CheckedToken(user=user, payload=str(data.get("p", "")))
