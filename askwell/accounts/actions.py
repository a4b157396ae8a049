"""Every change to an account: sign-up, verification, change of email,
personal API tokens, and the accounts an operator makes (the demo's).

Passwords are set and reset through Django's own forms and views
(`SetPasswordForm`, `PasswordChangeForm`), which already do it right.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from askwell.accounts import tokens
from askwell.accounts.mail import absolute, send_after_commit
from askwell.accounts.models import ApiToken, User
from askwell.accounts.roles import EDITORS, is_reader
from askwell.audit import log_action

if TYPE_CHECKING:
    from django.contrib.auth.models import Group


def email_in_use(email: str, *, exclude: User | None = None) -> bool:
    users = User.objects.filter(email__iexact=email.strip())
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return users.exists()


def _send_verification(user: User, base_url: str, next_url: str = "") -> None:
    token = tokens.make_token(user, tokens.VERIFY_EMAIL)
    path = reverse("accounts:verify_email", kwargs={"token": token})
    if next_url:
        path = f"{path}?{urlencode({'next': next_url})}"
    send_after_commit(
        user.email,
        "accounts/email/verify_email",
        {
            "user": user,
            "link": absolute(base_url, path),
            "days": tokens.MAX_AGE[tokens.VERIFY_EMAIL] // (24 * 3600),
        },
    )


def sign_up(
    *, username: str, email: str, password: str, base_url: str, next_url: str = ""
) -> User | None:
    """Create an inactive account and mail it a verification link.

    `next_url` (a path on this site, checked by the caller) rides on the
    link, so that following it lands where the reader was going, e.g. the
    ask form with their words; the view that follows the link checks it again.

    When an account has `email` already, create nothing and mail its owner
    instead (returns None): the page answers the same either way, so
    sign-up cannot be used to find out who has an account. The form checks
    that the username is free (usernames are public); the unique
    constraints catch a sign-up racing another for the same name.
    """
    email = email.strip()
    owner = User.objects.filter(email__iexact=email).first()
    if owner is not None:
        # As long as creating an account takes, so the time tells nothing either.
        make_password(password)
        _send_sign_up_attempt(owner, base_url)
        return None
    try:
        with transaction.atomic():
            user = User(username=username, email=email, is_active=False)
            user.set_password(password)
            user.save()
            _send_verification(user, base_url, next_url)
    except IntegrityError:
        raise ValidationError(
            "That username or email address was taken a moment ago. "
            "Please choose another.",
            code="taken",
        ) from None
    return user


def create_account(
    *,
    username: str,
    email: str,
    password: str,
    groups: Iterable[Group] = (),
    superuser: bool = False,
) -> User:
    """An active account the operator makes, not a reader's sign-up: no
    verification mail. For the demo's sign-ins and its admin; `groups`
    gives it roles (ensure_editors_group, review's ensure_reviewers_group)."""
    with transaction.atomic():
        if superuser:
            user = User.objects.create_superuser(username, email, password)
        else:
            user = User.objects.create_user(username, email, password)
        user.groups.add(*groups)
    return user


def ensure_editors_group() -> Group:
    """The Editors group (roles.EDITORS), made the first time it is needed."""
    from django.contrib.auth.models import Group

    group, _ = Group.objects.get_or_create(name=EDITORS)
    return group


def _send_sign_up_attempt(owner: User, base_url: str) -> None:
    send_after_commit(
        owner.email,
        "accounts/email/sign_up_attempt",
        {
            "user": owner,
            "login_link": absolute(base_url, reverse("accounts:login")),
            "reset_link": absolute(base_url, reverse("accounts:password_reset")),
        },
    )


def resend_verification(email: str, *, base_url: str, next_url: str = "") -> None:
    """Mail a new link to an account that was never verified, if one uses `email`.
    `next_url` (a path on this site, checked by the caller) rides on the link
    as at sign-up.

    Says nothing either way, so the form cannot be used to find out who has
    an account. Accounts that signed in before and were deactivated by an
    editor get nothing: a verification link must not undo a suspension.
    """
    with transaction.atomic():
        user = User.objects.filter(
            email__iexact=email.strip(), is_active=False, last_login__isnull=True
        ).first()
        if user is not None:
            _send_verification(user, base_url, next_url)


def verify_email(token: str) -> User:
    """Activate the account of a verification link; raises tokens.TokenExpired
    or tokens.TokenInvalid. The caller signs the user in."""
    checked = tokens.check_token(token, tokens.VERIFY_EMAIL)
    user = checked.user
    if user.is_active:
        raise tokens.TokenInvalid
    with transaction.atomic():
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


def request_email_change(user: User, *, new_email: str, base_url: str) -> None:
    """Mail a confirmation link to `new_email`; the address changes only when
    it is followed, so nobody can move an account to an address they cannot read.

    When another account has `new_email`, mail its owner that nothing
    changed instead, and answer as if the link went out: the form must not
    tell who has an account."""
    new_email = new_email.strip()
    if new_email.lower() == user.email.lower():
        raise ValidationError("This is already your email address.", code="unchanged")
    owner = User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).first()
    if owner is not None:
        send_after_commit(
            owner.email, "accounts/email/email_change_attempt", {"user": owner}
        )
        return
    token = tokens.make_token(user, tokens.CHANGE_EMAIL, payload=new_email)
    with transaction.atomic():
        send_after_commit(
            new_email,
            "accounts/email/change_email",
            {
                "user": user,
                "new_email": new_email,
                "link": absolute(
                    base_url,
                    reverse("accounts:email_change_confirm", kwargs={"token": token}),
                ),
                "days": tokens.MAX_AGE[tokens.CHANGE_EMAIL] // (24 * 3600),
            },
        )


def confirm_email_change(user: User, token: str) -> User:
    """Replace `user`'s address with the one the link confirms, and tell the
    old address. Raises tokens.TokenExpired, tokens.TokenInvalid (also when
    the link belongs to another account) or ValidationError (address taken
    since)."""
    checked = tokens.check_token(token, tokens.CHANGE_EMAIL)
    if checked.user.pk != user.pk:
        raise tokens.TokenInvalid
    new_email = checked.payload
    taken = ValidationError(
        "Another account started using this email address meanwhile.",
        code="taken",
    )
    if email_in_use(new_email, exclude=user):
        raise taken
    old_email = checked.user.email
    try:
        with transaction.atomic():
            user.email = new_email
            user.save(update_fields=["email"])
            if old_email:
                send_after_commit(
                    old_email,
                    "accounts/email/email_changed",
                    {"user": user, "old_email": old_email, "new_email": new_email},
                )
    except IntegrityError:
        user.email = old_email
        raise taken from None
    return user


# --- personal API tokens --------------------------------------------------------------

API_TOKEN_PREFIX = "askw_"  # noqa: S105 - a label, not a secret
MAX_API_TOKENS = 20
# Recording every use would write to the database on every API call.
LAST_USED_PRECISION = timedelta(minutes=1)


def hash_api_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(user: User, *, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the token, which is shown
    once and never stored."""
    if not is_reader(user):
        raise PermissionDenied("Sign in to create an API token.")
    name = name.strip()
    if not name:
        raise ValidationError(
            {"name": "Name the token, e.g. “my reading app”."}, code="required"
        )
    token = API_TOKEN_PREFIX + secrets.token_urlsafe(30)
    with transaction.atomic():
        if user.api_tokens.active().count() >= MAX_API_TOKENS:
            raise ValidationError(
                f"You have {MAX_API_TOKENS} tokens: revoke one you no longer use first.",
                code="too_many",
            )
        api_token = ApiToken(
            user=user,
            name=name,
            token_hash=hash_api_token(token),
            prefix=token[: len(API_TOKEN_PREFIX) + 4],
        )
        api_token.full_clean()
        api_token.save()
        log_action(
            api_token, "api_token.created", user, {"name": name, "id": api_token.pk}
        )
    return api_token, token


def revoke_api_token(user: User, api_token: ApiToken) -> ApiToken:
    """Revoke one of the user's own tokens; revoking twice changes nothing."""
    if not is_reader(user) or api_token.user_id != user.pk:
        raise PermissionDenied("You can revoke only your own tokens.")
    with transaction.atomic():
        api_token = ApiToken.objects.select_for_update().get(pk=api_token.pk)
        if api_token.revoked_at is None:
            api_token.revoked_at = timezone.now()
            api_token.save(update_fields=["revoked_at"])
            log_action(
                api_token,
                "api_token.revoked",
                user,
                {"name": api_token.name, "id": api_token.pk},
            )
    return api_token


def revoke_api_tokens_for_new_password(user: User) -> int:
    """Revoke every token of `user`, whose password was just changed, reset or
    set by an administrator: a token made by whoever knew the old password
    must not outlive it. Returns how many were revoked. Call it inside the
    transaction that saves the password."""
    with transaction.atomic():
        revoked = list(user.api_tokens.active().select_for_update())
        if revoked:
            ApiToken.objects.filter(pk__in=[t.pk for t in revoked]).update(
                revoked_at=timezone.now()
            )
        for api_token in revoked:
            log_action(
                api_token,
                "api_token.revoked",
                None,
                {"name": api_token.name, "id": api_token.pk, "reason": "new_password"},
            )
    return len(revoked)


def user_for_api_token(token: str) -> User | None:
    """The active account an unrevoked token belongs to, or None; records
    when the token was last used (to the minute)."""
    api_token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(token_hash=hash_api_token(token))
        .first()
    )
    if api_token is None or not api_token.user.is_active:
        return None
    now = timezone.now()
    last = api_token.last_used_at
    if last is None or now - last >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
    return api_token.user
