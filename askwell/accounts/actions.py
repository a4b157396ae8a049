"""Every change to an account: sign-up, verification and change of email.

Passwords are set and reset through Django's own forms and views
(`SetPasswordForm`, `PasswordChangeForm`), which already do it right.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from askwell.accounts import tokens
from askwell.accounts.mail import absolute, send_after_commit
from askwell.accounts.models import User


def email_in_use(email: str, *, exclude: User | None = None) -> bool:
    users = User.objects.filter(email__iexact=email.strip())
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return users.exists()


def _send_verification(user: User, base_url: str) -> None:
    token = tokens.make_token(user, tokens.VERIFY_EMAIL)
    send_after_commit(
        user.email,
        "accounts/email/verify_email",
        {
            "user": user,
            "link": absolute(
                base_url, reverse("accounts:verify_email", kwargs={"token": token})
            ),
            "days": tokens.MAX_AGE[tokens.VERIFY_EMAIL] // (24 * 3600),
        },
    )


def sign_up(*, username: str, email: str, password: str, base_url: str) -> User:
    """Create an inactive account and mail it a verification link.

    The form checks that the username and address are free; the unique
    constraints catch a sign-up racing another for the same name.
    """
    try:
        with transaction.atomic():
            user = User(username=username, email=email.strip(), is_active=False)
            user.set_password(password)
            user.save()
            _send_verification(user, base_url)
    except IntegrityError:
        raise ValidationError(
            "That username or email address was taken a moment ago. "
            "Please choose another.",
            code="taken",
        ) from None
    return user


def resend_verification(email: str, *, base_url: str) -> None:
    """Mail a new link to an account that was never verified, if one uses `email`.

    Says nothing either way, so the form cannot be used to find out who has
    an account. Accounts that signed in before and were deactivated by an
    editor get nothing: a verification link must not undo a suspension.
    """
    with transaction.atomic():
        user = User.objects.filter(
            email__iexact=email.strip(), is_active=False, last_login__isnull=True
        ).first()
        if user is not None:
            _send_verification(user, base_url)


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
    it is followed, so nobody can move an account to an address they cannot read."""
    new_email = new_email.strip()
    if new_email.lower() == user.email.lower():
        raise ValidationError("This is already your email address.", code="unchanged")
    if email_in_use(new_email, exclude=user):
        raise ValidationError("Another account uses this email address.", code="taken")
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
