"""Who is calling the API: a personal token, or a signed-in browser.

- `Authorization: Bearer <token>`: the token's account (accounts.ApiToken).
  No CSRF check: a browser never sends this header by itself.
- Otherwise the session cookie of a signed-in browser. Writes then need
  Django's CSRF token (the `X-CSRFToken` header), exactly like the pages'
  forms, because the browser sends the cookie to any site's request.

Writes take `auth=WRITE_AUTH` (nothing matched: 401). Reads are public and
call `reader(request)`, so that askers see their own held questions as on
the pages; a bad token is a 401 there too, never a silent anonymous read.
Either way `request.user` becomes the caller, so the permission rules and
rate limits count the same account the pages would.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from askwell.accounts.actions import user_for_api_token
from askwell.api.errors import CsrfFailed, InvalidToken

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from askwell.accounts.models import User


def _token_user(request: HttpRequest, token: str) -> User:
    user = user_for_api_token(token.strip())
    if user is None:
        raise InvalidToken
    request.user = user
    return user


class BearerToken(HttpBearer):
    """A personal API token (accounts.ApiToken)."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get(self.header, "")
        if header and not header.lower().startswith("bearer "):
            raise InvalidToken
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> User:
        return _token_user(request, token)


class SignedInSession(APIKeyCookie):
    """Django's session cookie, with Django's CSRF check for the signed in.

    ninja's own SessionAuth checks CSRF before it knows whether anyone is
    signed in, so a client with no credentials at all would get 403 instead
    of 401.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise CsrfFailed
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None


WRITE_AUTH = [BearerToken(), SignedInSession()]


def reader(request: HttpRequest) -> User | AnonymousUser:
    """The caller of a read: the token's account, else the session's (or
    anonymous)."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise InvalidToken
        return _token_user(request, token)
    return request.user
