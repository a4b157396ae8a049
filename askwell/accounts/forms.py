from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string

from askwell.accounts.actions import revoke_api_tokens_for_new_password
from askwell.accounts.models import User
from askwell.accounts.tasks import send_email
from askwell.core.antispam import SpamCheckMixin
from askwell.core.forms import TextField
from askwell.core.jobs import enqueue_after_commit

# One message for an unknown account and a wrong password, so the form
# cannot be used to find out who has an account.
INVALID_LOGIN = (
    "That username or email address and password do not match an account. "
    "Check both and try again."
)


class _PasswordRulesUnderTheNewPassword:
    """Django puts what its password rules say ("This password is too
    common.") under the confirmation field, as if the second typing were at
    fault, and every rule broken as a list. These forms put one message,
    the first rule broken, under the new password, where the mistake is;
    the confirmation field says only whether the two match."""

    # The field the rules' message goes under.
    rules_field = "password1"
    cleaned_data: dict[str, Any]

    def validate_password_for_user(
        self,
        user: Any,
        password_field_name: str = "password2",  # noqa: S107  # a field's name, in Django's signature
    ) -> None:
        password = self.cleaned_data.get(self.rules_field)
        if not password:
            return
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            self.add_error(self.rules_field, error.error_list[0])  # type: ignore[attr-defined]  # a mixin: the Form after it adds errors


class SignUpForm(
    _PasswordRulesUnderTheNewPassword,
    SpamCheckMixin,
    auth_forms.UserCreationForm,  # type: ignore[type-arg]  # Django's class is not generic at run time
):
    # Not one of the model form's fields, so that an address in use is not
    # refused here (nor by the model's unique constraint): the page would
    # tell anyone who has an account. actions.sign_up mails its owner instead.
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We send a link to this address to confirm it.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    field_order = ["username", "email", "password1", "password2"]

    class Meta(auth_forms.UserCreationForm.Meta):
        model = User
        fields = ("username",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].help_text = (
            "Shown on your questions unless you ask anonymously. Letters, digits "
            "and @ . + - _ only, up to 150 characters."
        )
        self.fields["password1"].label = "Password"
        self.fields["password2"].label = "Password again"

    def clean_email(self) -> str:
        email = str(self.cleaned_data["email"]).strip()
        # For the password validators, which compare the password with it.
        self.instance.email = email
        return email


# An email address is at most 254 characters, and a username fewer.
LOGIN_LENGTH = 254


class SignInForm(forms.Form):
    login = forms.CharField(
        label="Username or email address",
        max_length=LOGIN_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    remember = forms.BooleanField(
        label="Keep me signed in",
        required=False,
        help_text="Leave this unticked on a shared computer: you are signed out "
        "when the browser closes.",
    )

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user: User | None = None
        self.inactive_user: User | None = None

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        login, password = cleaned.get("login"), cleaned.get("password")
        if not login or not password:
            return cleaned
        candidate = find_account(login)
        if candidate is not None and not candidate.is_active:
            # An account that never signed in is waiting for its email to be
            # verified; the right password earns the offer of a new link.
            # Deactivated accounts get the same answer as a wrong password.
            if candidate.last_login is None and candidate.check_password(password):
                self.inactive_user = candidate
                raise ValidationError(
                    "This account's email address is not verified yet.",
                    code="inactive",
                )
            raise ValidationError(INVALID_LOGIN, code="invalid_login")
        username = candidate.get_username() if candidate is not None else login
        user = authenticate(self.request, username=username, password=password)
        if user is None:
            raise ValidationError(INVALID_LOGIN, code="invalid_login")
        self.user = user
        return cleaned


def find_account(login: str) -> User | None:
    """The account `login` names: by email address when it looks like one and
    an account has it, otherwise by username."""
    if "@" in login:
        by_email = User.objects.filter(email__iexact=login.strip()).first()
        if by_email is not None:
            return by_email
    return User.objects.filter(username=login).first()


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class EmailChangeForm(forms.Form):
    new_email = forms.EmailField(
        label="New email address",
        help_text="We send a link to this address; your address changes when you follow it.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label="Your current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_new_email(self) -> str:
        # An address another account has is not refused here: the form would
        # tell who has an account. actions.request_email_change mails its
        # owner instead.
        email = str(self.cleaned_data["new_email"]).strip()
        if email.lower() == self.user.email.lower():
            raise ValidationError(
                "This is already your email address.", code="unchanged"
            )
        return email

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(
                "That is not your current password.", code="password_incorrect"
            )
        return password


class _NewPasswordEndsApiTokens:
    """For the forms that give an existing account a new password (change,
    reset, the admin's "set password"): saving it revokes the account's API
    tokens, in the same transaction (actions.revoke_api_tokens_for_new_password)."""

    user: User

    def save(self, commit: bool = True) -> User:
        with transaction.atomic():
            user: User = super().save(commit=commit)  # type: ignore[misc]  # a mixin: the form after it saves
            if commit:
                revoke_api_tokens_for_new_password(user)
        return user


class PasswordChangeForm(
    _PasswordRulesUnderTheNewPassword,
    _NewPasswordEndsApiTokens,
    auth_forms.PasswordChangeForm,
):
    rules_field = "new_password1"


class SetPasswordForm(
    _PasswordRulesUnderTheNewPassword,
    _NewPasswordEndsApiTokens,
    auth_forms.SetPasswordForm,  # type: ignore[type-arg]  # Django's class is not generic at run time
):
    rules_field = "new_password1"


class AdminPasswordChangeForm(
    _NewPasswordEndsApiTokens,
    auth_forms.AdminPasswordChangeForm,  # type: ignore[type-arg]  # Django's class is not generic at run time
):
    pass


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, its message rendered as Django renders it and
    sent by a background job after the commit, like all our mail
    (accounts/mail.py)."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        html_body = (
            render_to_string(html_email_template_name, context)
            if html_email_template_name
            else ""
        )
        enqueue_after_commit(send_email, to_email, subject, body, html_body)


class ApiTokenForm(forms.Form):
    name = TextField(
        max_length=100,
        label="Token name",
        help_text="What the token is for, e.g. “my reading app”.",
    )
