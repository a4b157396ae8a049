from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from askwell.accounts import actions, roles, tokens
from askwell.accounts.forms import (
    LOGIN_LENGTH,
    ApiTokenForm,
    EmailChangeForm,
    PasswordChangeForm,
    PasswordResetForm,
    ResendVerificationForm,
    SetPasswordForm,
    SignInForm,
    SignUpForm,
    find_account,
)
from askwell.accounts.models import ApiToken
from askwell.accounts.requests import SignedInRequest
from askwell.core.ratelimit import rate_limit

# The backend `login()` records when a user is signed in without
# `authenticate()`, after following their verification link.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _requested_next(request: HttpRequest) -> str:
    """The `next` the request carries if it stays on this site, else ""."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def _next_url(request: HttpRequest) -> str:
    """Where to go after signing in: `next` if it stays on this site."""
    return _requested_next(request) or resolve_url(settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
@rate_limit("signup")
def signup(request: HttpRequest) -> HttpResponse:
    # Where the reader was going (e.g. the ask form, with their words):
    # the verification link brings them there once the account is active.
    next_url = _requested_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or "accounts:settings")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.sign_up(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                base_url=_base_url(request),
                next_url=next_url,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _to_verification_sent(next_url)
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


def _to_verification_sent(next_url: str) -> HttpResponse:
    """To the "check your email" page, keeping where the reader was going, so
    that a new link asked for there leads there too."""
    path = reverse("accounts:verification_sent")
    if next_url:
        path = f"{path}?{urlencode({'next': next_url})}"
    return redirect(path)


def verification_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/verification_sent.html",
        {"form": ResendVerificationForm(), "next": _requested_next(request)},
    )


@require_http_methods(["GET", "POST"])
@rate_limit("resend_verification")
def resend_verification(request: HttpRequest) -> HttpResponse:
    next_url = _requested_next(request)
    form = ResendVerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.resend_verification(
            form.cleaned_data["email"], base_url=_base_url(request), next_url=next_url
        )
        return _to_verification_sent(next_url)
    return render(
        request,
        "accounts/resend_verification.html",
        {"form": form, "next": next_url},
    )


def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = actions.verify_email(token)
    except (tokens.TokenExpired, tokens.TokenInvalid) as error:
        return render(
            request,
            "accounts/verify_failed.html",
            {
                "expired": isinstance(error, tokens.TokenExpired),
                "form": ResendVerificationForm(),
                "next": _requested_next(request),
            },
            status=400,
        )
    auth_login(request, user, backend=MODEL_BACKEND)
    messages.success(request, "Your email address is verified. Welcome to Askwell!")
    return redirect(_requested_next(request) or "accounts:settings")


def _sign_in_values(request: HttpRequest) -> dict[str, str]:
    """What the login limit counts a sign-in under: the account that the
    posted username or email address names, so that guesses by either name
    share one count; a name no account has, casefolded."""
    login = request.POST.get("login", "").strip()
    account = find_account(login) if login and len(login) <= LOGIN_LENGTH else None
    return {"login": f"account:{account.pk}" if account else login.casefold()}


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
@rate_limit("login", values=_sign_in_values)
def login(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request)
    form = SignInForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        auth_login(request, form.user)
        # 0 ends the session when the browser closes.
        request.session.set_expiry(
            settings.SESSION_COOKIE_AGE if form.cleaned_data["remember"] else 0
        )
        return redirect(next_url)
    if form.inactive_user is not None:
        return render(
            request,
            "accounts/inactive.html",
            {
                "form": ResendVerificationForm(
                    initial={"email": form.inactive_user.email}
                ),
                "next": _requested_next(request),
            },
        )
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": next_url, "requested_next": _requested_next(request)},
    )


@require_http_methods(["GET", "POST"])
def logout(request: HttpRequest) -> HttpResponse:
    """Signing out changes state, so it takes a POST; a GET asks first."""
    if request.method == "POST":
        auth_logout(request)
        messages.success(request, "You are signed out.")
        return redirect(settings.LOGOUT_REDIRECT_URL)
    return render(request, "accounts/logout.html")


@login_required
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
@rate_limit("password_confirm")
@rate_limit("email_change")
def email_change(request: SignedInRequest) -> HttpResponse:
    user = request.user
    form = EmailChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        new_email = form.cleaned_data["new_email"]
        try:
            actions.request_email_change(
                user, new_email=new_email, base_url=_base_url(request)
            )
        except ValidationError as error:
            form.add_error("new_email", error)
        else:
            messages.success(
                request,
                f"We sent a link to {new_email}. Your address changes when you follow it.",
            )
            return redirect("accounts:settings")
    return render(request, "accounts/email_change.html", {"form": form})


@login_required
def email_change_confirm(request: SignedInRequest, token: str) -> HttpResponse:
    user = request.user
    try:
        actions.confirm_email_change(user, token)
    except (tokens.TokenExpired, tokens.TokenInvalid, ValidationError) as error:
        return render(
            request,
            "accounts/email_change_failed.html",
            {
                "expired": isinstance(error, tokens.TokenExpired),
                "taken": isinstance(error, ValidationError),
            },
            status=400,
        )
    messages.success(request, f"Your email address is now {user.email}.")
    return redirect("accounts:settings")


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:settings")

    def form_valid(self, form: auth_forms.PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, "Your password was changed.")
        return response


password_reset = rate_limit("password_reset")(
    auth_views.PasswordResetView.as_view(
        form_class=PasswordResetForm,
        template_name="accounts/password_reset.html",
        email_template_name="accounts/email/password_reset.txt",
        subject_template_name="accounts/email/password_reset_subject.txt",
        extra_email_context={"site_name": settings.ASKWELL_SITE_NAME},
        success_url=reverse_lazy("accounts:password_reset_done"),
    )
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    form_class=SetPasswordForm,
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
password_change = rate_limit("password_confirm")(PasswordChangeView.as_view())


@login_required
def account_settings(request: SignedInRequest) -> HttpResponse:
    return _settings_page(request)


def _settings_page(
    request: SignedInRequest, *, status: int = 200, **extra: object
) -> HttpResponse:
    """The account page. Other apps add their sections to it through its
    template: experts (experts/_account_sections.html) and moderation
    (moderation/_account_links.html)."""
    user = request.user
    return render(
        request,
        "accounts/settings.html",
        {
            "is_editor": roles.is_editor(user),
            "api_tokens": user.api_tokens.all(),
            "token_form": ApiTokenForm(),
            **extra,
        },
        status=status,
    )


@login_required
@require_POST
def create_api_token(request: SignedInRequest) -> HttpResponse:
    """Create a token and show it on the settings page, once: the page is
    rendered in answer to the POST, so the token is never stored anywhere."""
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            api_token, token = actions.create_api_token(
                request.user,
                name=form.cleaned_data["name"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _settings_page(request, new_token=token, new_api_token=api_token)
    return _settings_page(request, token_form=form, status=400)


@login_required
@require_POST
def revoke_api_token(request: SignedInRequest, pk: int) -> HttpResponse:
    api_token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    actions.revoke_api_token(request.user, api_token)
    messages.success(request, f"The token “{api_token.name}” is revoked.")
    return redirect("accounts:settings")
