"""/api/v1/: ninja's routes, answering even their edges in the error shape.

ninja answers a method a path does not have with a plain-text 405, and a
path it does not know falls through to the site's HTML 404 page; both
become the API's JSON error here. Any method reaches these views (the
pages' 405 for OPTIONS, TRACE and the like is not theirs): OPTIONS and
TRACE get the 405 of every method a path lacks, with `Allow`. Responses to a caller with credentials
are marked private, so no shared cache keeps one person's view.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, re_path
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.csrf import csrf_exempt

from askwell.api.errors import json_error
from askwell.api.views import api
from askwell.core.security import answers_its_own_methods

app_name = "api"


def _identified(request: HttpRequest) -> bool:
    if "HTTP_AUTHORIZATION" in request.META:
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def _in_error_shape(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @answers_its_own_methods
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except Http404:  # ninja's root path, /api/v1/
            response = unknown_path(request)
        if response.status_code == 405 and not response.get(
            "Content-Type", ""
        ).startswith("application/json"):
            allowed = response.get("Allow", "")
            response = json_error(
                405,
                "method_not_allowed",
                f"{request.method} is not allowed here; use {allowed}.",
                {"allowed": [m.strip() for m in allowed.split(",") if m.strip()]},
            )
            response["Allow"] = allowed
        patch_vary_headers(response, ["Authorization"])
        if _identified(request):
            patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapped


def _with_error_shape(pattern: Any) -> Any:
    if not isinstance(pattern, URLPattern):
        return pattern
    return URLPattern(
        pattern.pattern,
        _in_error_shape(pattern.callback),
        pattern.default_args,
        pattern.name,
    )


@answers_its_own_methods
@csrf_exempt
def unknown_path(request: HttpRequest) -> HttpResponse:
    return json_error(
        404,
        "not_found",
        f"No API endpoint at {request.path}; see /api/v1/docs.",
    )


ninja_patterns, _, _ = api.urls
urlpatterns = [
    *(_with_error_shape(p) for p in ninja_patterns),
    re_path(r"^.*$", unknown_path),
]
