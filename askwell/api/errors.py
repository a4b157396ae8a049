"""The API's one error shape: {"error": {"code", "message", "details"}}.

Every failure, wherever it is raised (a parameter that does not validate, a
permission rule, a form, a rate limit, an unknown path, a bug), reaches the
client in this shape with its status code:

- 400 `bad_request`, `invalid_cursor`: the request cannot be read;
- 401 `not_authenticated`, `invalid_token`: a write without credentials, or
  a token that is unknown or revoked;
- 403 `permission_denied`, `csrf_failed`: the rule of the page refuses it,
  or a signed-in browser sent no CSRF token;
- 404 `not_found`; 405 `method_not_allowed`;
- 409 `already_answered`, `already_flagged`: it was done before;
- 413 `request_too_large`: a body over DATA_UPLOAD_MAX_MEMORY_SIZE;
- 422 `invalid_request` (parameters, and body fields that fail their
  schema: a text over its limit, code `max_length`, or one holding a lone
  surrogate, code `unencodable`), `invalid` (the pages' validation);
- 429 `rate_limited`; 500 `server_error`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from askwell.core.ratelimit import RateLimited

if TYPE_CHECKING:
    from django import forms
    from ninja import NinjaAPI

logger = logging.getLogger("askwell.api")

# Validation codes that mean "this was done already" rather than "this is wrong".
CONFLICT_CODES = frozenset({"already_flagged"})
_CODES_BY_STATUS = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "invalid",
    429: "rate_limited",
}


class ApiError(Exception):
    """A failure the API answers as it is: status, code, message, details."""

    def __init__(
        self, status: int, code: str, message: str, details: Any = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details


class InvalidToken(Exception):
    """An Authorization header whose token is unknown, revoked or malformed."""


class CsrfFailed(Exception):
    """A signed-in browser's write without a valid CSRF token."""


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details}}


def json_error(
    status: int, code: str, message: str, details: Any = None
) -> JsonResponse:
    """The error shape outside a ninja operation (unknown paths, 405)."""
    return JsonResponse(error_body(code, message, details), status=status)


def validation_details(error: DjangoValidationError) -> list[dict[str, str]]:
    """[{"where", "message", "code"}] for each message, by field."""
    if hasattr(error, "error_dict"):
        items = [
            (field, e) for field, errors in error.error_dict.items() for e in errors
        ]
    else:
        items = [("", e) for e in error.error_list]
    return [
        {
            "where": "" if field == "__all__" else field,
            "message": " ".join(e.messages),
            "code": e.code or "invalid",
        }
        for field, e in items
    ]


def form_error(form: forms.Form) -> ApiError:
    """The form's errors, as the page would show them, with their codes."""
    details = [
        {
            "where": "" if field == "__all__" else field,
            "message": " ".join(e.messages),
            "code": e.code or "invalid",
        }
        for field, errors in form.errors.as_data().items()
        for e in errors
    ]
    return _invalid(details)


def _invalid(details: list[dict[str, str]]) -> ApiError:
    conflict = next((d for d in details if d["code"] in CONFLICT_CODES), None)
    if conflict is not None:
        return ApiError(409, conflict["code"], conflict["message"], details)
    return ApiError(422, "invalid", "The request was refused; see details.", details)


def _where(loc: tuple[Any, ...]) -> str:
    """A parameter's place: "query.q", or a body field by its own name
    ("title", "references.2"), as the form errors name them; django-ninja
    puts the body under "body" and the view's argument name."""
    parts = [str(p) for p in loc]
    if parts[:1] == ["body"] and len(parts) > 2:
        parts = parts[2:]
    return ".".join(parts)


def install_handlers(api: NinjaAPI) -> None:
    """Answer every exception a view can raise in the error shape."""

    def respond(
        request: HttpRequest,
        status: int,
        code: str,
        message: str,
        details: Any = None,
    ) -> HttpResponse:
        return api.create_response(
            request, error_body(code, message, details), status=status
        )

    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return respond(request, exc.status, exc.code, exc.message, exc.details)

    @api.exception_handler(NinjaValidationError)
    def invalid_request(
        request: HttpRequest, exc: NinjaValidationError
    ) -> HttpResponse:
        details = [
            {
                "where": _where(e.get("loc", ())),
                "message": e.get("msg", ""),
                "code": e.get("type", "invalid"),
            }
            for e in exc.errors
        ]
        return respond(
            request,
            422,
            "invalid_request",
            "The request is not valid; see details.",
            details,
        )

    @api.exception_handler(DjangoValidationError)
    def refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        error = _invalid(validation_details(exc))
        return respond(request, error.status, error.code, error.message, error.details)

    @api.exception_handler(RateLimited)
    def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
        response = respond(
            request,
            429,
            "rate_limited",
            f"Too many requests; try again in {exc.retry_after} seconds.",
            {"retry_after": exc.retry_after},
        )
        response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(RequestDataTooBig)
    def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return respond(
            request,
            413,
            "request_too_large",
            f"The request body is larger than the limit of {limit} bytes.",
            {"max_bytes": limit},
        )

    @api.exception_handler(AuthenticationError)
    def not_authenticated(
        request: HttpRequest, exc: AuthenticationError
    ) -> HttpResponse:
        response = respond(
            request,
            401,
            "not_authenticated",
            "Send a personal API token (Authorization: Bearer …) or sign in.",
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(InvalidToken)
    def invalid_token(request: HttpRequest, exc: InvalidToken) -> HttpResponse:
        response = respond(
            request,
            401,
            "invalid_token",
            "The API token is unknown or revoked.",
        )
        response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        return response

    @api.exception_handler(CsrfFailed)
    def csrf_failed(request: HttpRequest, exc: CsrfFailed) -> HttpResponse:
        return respond(
            request,
            403,
            "csrf_failed",
            "CSRF verification failed: send the X-CSRFToken header with a "
            "signed-in session, or use a personal API token instead.",
        )

    @api.exception_handler(PermissionDenied)
    def denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(
            request,
            403,
            "permission_denied",
            str(exc) or "You may not do this.",
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: object) -> HttpResponse:
        return respond(request, 404, "not_found", "Nothing is here.")

    api.add_exception_handler(ObjectDoesNotExist, not_found)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = _CODES_BY_STATUS.get(exc.status_code, "error")
        return respond(request, exc.status_code, code, str(exc))

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path)
        return respond(
            request,
            500,
            "server_error",
            "Something went wrong on our side; it has been logged.",
        )
