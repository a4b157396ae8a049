"""Request ids and the access log.

RequestLogMiddleware, first in MIDDLEWARE, gives every request an id: the
incoming X-Request-ID when it looks like one (a proxy or load balancer made
it, so its logs and ours join up), else a new one. The id goes back in the
response's X-Request-ID, into a context variable that RequestIdFilter copies
onto every log record written while the request runs (Django's, the app's,
a library's), and into one access-log line per request on the
"askwell.access" logger: method, path, status, duration in milliseconds and
the visitor (account id or "anonymous").

The path is logged without its query string: search queries are health
questions people typed, and logs are kept and shared more freely than the
database. With ASKWELL_LOG_FORMAT=json (the default when DEBUG is off)
every record is one JSON object per line (python-json-logger); otherwise a
readable line.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

access_log = logging.getLogger("askwell.access")

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

# What a proxy's id looks like (UUIDs, hex, nginx's $request_id, AWS's
# "Root=1-..."): no spaces, quotes or control characters that could forge a
# log line, and not too long.
_SANE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:;=+/-]{7,127}$")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record; `missing` outside a request."""

    def __init__(self, missing: str | None = None) -> None:
        super().__init__()
        self.missing = missing

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            # Django logs a 4xx after the middleware is done; it passes the
            # request along.
            request = getattr(record, "request", None)
            record.request_id = (
                request_id.get() or getattr(request, "request_id", None) or self.missing
            )
        return True


def incoming_or_new(value: str | None) -> str:
    if value and _SANE_ID.match(value):
        return value
    return uuid.uuid4().hex


def visitor(request: HttpRequest) -> int | str | None:
    """The account id, "anonymous", or None when the request never looked
    its visitor up and finding out would cost a query (/healthz, say)."""
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "_wrapped", None) is not empty:
        return user.pk if user.is_authenticated else "anonymous"
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return "anonymous"
    return None


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = incoming_or_new(request.headers.get("X-Request-ID"))
        request.request_id = rid  # type: ignore[attr-defined]  # for views and error pages
        token = request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            duration = round((time.perf_counter() - started) * 1000, 1)
            access_log.info(
                "%s %s %s %.1f ms",
                request.method,
                request.path,
                response.status_code,
                duration,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration,
                    "user": visitor(request),
                },
            )
            return response
        finally:
            request_id.reset(token)
