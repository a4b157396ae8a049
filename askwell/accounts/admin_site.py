"""Django's admin, signing in through the site's own sign-in page.

The admin's login form checked passwords with no rate limit of its own. Its
address now leads to the site's sign-in (askwell.accounts.views.login),
which counts guesses under the "login" limit: one sign-in form, one set of
counts, for readers and administrators alike.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse


class AdminSite(admin.AdminSite):
    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Send the visitor to the site's sign-in, and back here after it.
        Checks no password itself, whatever is posted."""
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse(
            "admin:index", current_app=self.name
        )
        if self.has_permission(request):
            return redirect(reverse("admin:index", current_app=self.name))
        if request.user.is_authenticated:
            messages.warning(
                request,
                "This account may not use the admin. Sign in with one that may.",
            )
        return redirect_to_login(next_url, login_url=reverse("accounts:login"))
