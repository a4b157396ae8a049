"""Refusing a request too large for what its view reads, before reading it.

The endpoints that analyse text while it is typed (similar questions, topic
suggestions, the answer preview) know the most their fields may hold
(askwell.lib.limits). `refuse_oversized` answers 413 to a request whose
query string or declared body is larger than those fields could make it,
from the request line and the Content-Length header alone: nothing is
parsed and nothing analysed. Requests within the bound still have each
field checked against its limit by the view's form.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.http import HttpRequest, HttpResponse

View = TypeVar("View", bound=Callable[..., Any])

# One character of text is at most 4 bytes of UTF-8, each sent as "%XX".
BYTES_PER_CHARACTER = 12
# Field names, separators, the CSRF token and the spam-check fields.
OVERHEAD_BYTES = 8192


def request_bytes(*field_limits: int) -> int:
    """The largest urlencoded request that fields of these limits can make."""
    return BYTES_PER_CHARACTER * sum(field_limits) + OVERHEAD_BYTES


def refuse_oversized(max_bytes: int) -> Callable[[View], View]:
    """Answer 413 when the query string or the body is over `max_bytes`."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            try:
                body = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                body = 0  # Django reads no body from a request it cannot size
            query = len(request.META.get("QUERY_STRING", ""))
            if max(body, query) > max_bytes:
                return HttpResponse(
                    f"This request is too large ({max(body, query):,} bytes; at "
                    f"most {max_bytes:,}).",
                    status=413,
                    content_type="text/plain; charset=utf-8",
                )
            return view(request, *args, **kwargs)

        return cast(View, wrapped)  # takes and returns what `view` does

    return decorator
