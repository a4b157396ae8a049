"""Rate limits per user, per IP address and per what a form names, counted
where every process sees them (askwell/core/counters.py: Redis with
REDIS_URL, otherwise the database).

Each limit has a name (`"login"`, `"ask"`, …) and, in
`settings.ASKWELL_RATE_LIMITS`, one rate per key it is counted under:

- `"ip"`: the client's address (an IPv6 client counts by its /64 network,
  since one household or phone gets a whole /64);
- `"user"`: the signed-in account (anonymous requests skip this key);
- `"<field>"`: a posted field's value, e.g. `"email"` counts the mail sent
  to one address, from wherever it is asked for (a request without the
  field skips this key);
- `"ip+<field>"`: the address together with a posted field, e.g.
  `"ip+login"` counts sign-in attempts per address and account.

Field values count case-insensitively, stripped; a view may name what a
field stands for instead (`values=`): sign-in counts the account a username
or an email address names, so both ways of naming it share one count.

A rate is `"<count>/<period>"`, the period being `s`, `m`, `h` or `d`, with
an optional multiplier: `"5/15m"` is five per quarter hour. Counts run in
fixed windows of that period, so a limit always lifts when its window
ends: sign-in throttling can slow down guessing at one account from one
address, but never lock its owner out for longer than a window, nor at all
from another address.

Why not django-ratelimit: its exception does not say when the limit lifts
(pages and the API must say so), and it counts in Django's cache, which
without Redis is each worker's own memory.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from askwell.core import counters

View = TypeVar("View", bound=Callable[..., Any])
# What a view counts a posted field as (see the module docstring).
Values = Mapping[str, str]

_RATE = re.compile(r"^(?P<count>\d+)/(?P<multiplier>\d*)(?P<unit>[smhd])$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_FIELD = re.compile(r"^[a-z][a-z0-9_]*$")


def now() -> float:
    """The clock the windows run on; tests move it forward."""
    return time.time()


@dataclass(frozen=True)
class Rate:
    count: int
    period: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        match = _RATE.match(text.strip())
        if match is None:
            raise ValueError(
                f"{text!r} is not a rate like '10/h' or '5/15m' (count/period)."
            )
        multiplier = int(match["multiplier"] or 1)
        return cls(int(match["count"]), multiplier * _SECONDS[match["unit"]])


class RateLimited(Exception):
    """Raised when a request goes over a limit; `retry_after` is in seconds."""

    def __init__(self, name: str, retry_after: int) -> None:
        super().__init__(f"Rate limit {name!r} reached; retry in {retry_after} s.")
        self.name = name
        self.retry_after = retry_after


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the address the trusted proxies
    in front of Askwell saw (ASKWELL_PROXY_COUNT of them append to
    X-Forwarded-For; anything further left was sent by the client and could
    be forged)."""
    address: str = request.META.get("REMOTE_ADDR", "")
    proxies = settings.ASKWELL_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _field_value(request: HttpRequest, field: str, values: Values | None) -> str:
    if values is not None and field in values:
        return values[field]
    return request.POST.get(field, "").strip().casefold()


def _identity(request: HttpRequest, key: str, values: Values | None) -> str | None:
    if key == "ip":
        return client_ip(request)
    if key == "user":
        user = getattr(request, "user", None)
        return str(user.pk) if user is not None and user.is_authenticated else None
    if key.startswith("ip+") and _FIELD.match(key[3:]):
        value = _field_value(request, key[3:], values)
        return f"{client_ip(request)}|{value}"
    if _FIELD.match(key):
        return _field_value(request, key, values) or None
    raise ValueError(
        f"Unknown rate-limit key {key!r}: use ip, user, <field> or ip+<field>."
    )


def limits_for(name: str) -> dict[str, Rate]:
    rates: dict[str, str] = settings.ASKWELL_RATE_LIMITS[name]
    return {key: Rate.parse(rate) for key, rate in rates.items()}


def hit(request: HttpRequest, name: str, *, values: Values | None = None) -> None:
    """Count this request under every key of the limit `name`; raise
    RateLimited if any count is over its rate. `values`: what posted fields
    stand for, by field name, instead of what was posted."""
    moment = now()
    wait = 0
    for key, rate in limits_for(name).items():
        identity = _identity(request, key, values)
        if identity is None:
            continue
        window = int(moment // rate.period)
        digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
        count = counters.increment(
            f"ratelimit:{name}:{key}:{digest}:{window}",
            expires=(window + 1) * rate.period,
            now=moment,
        )
        if count > rate.count:
            left = math.ceil((window + 1) * rate.period - moment)
            wait = max(wait, left, 1)
    if wait:
        raise RateLimited(name, wait)


def rate_limit(
    name: str,
    *,
    methods: tuple[str, ...] = ("POST",),
    values: Callable[[HttpRequest], Values] | None = None,
) -> Callable[[View], View]:
    """Count requests with these methods under the limit `name` before the view
    runs. Over the limit, RateLimited is raised: RateLimitMiddleware answers
    pages, and the API's exception handler answers JSON. `values(request)`
    says what posted fields stand for (see hit())."""
    limits_for(name)  # Fail at import time on an unknown name or a bad rate.

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if request.method in methods:
                hit(request, name, values=values(request) if values else None)
            return view(request, *args, **kwargs)

        # HttpCacheMiddleware counts a page it answers from its cache.
        wrapped.rate_limit = (name, methods)  # type: ignore[attr-defined]  # a mark on the function, for caching
        return cast(View, wrapped)  # takes and returns what `view` does

    return decorator


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    minutes = max(1, math.ceil(retry_after / 60))
    response = render(request, "429.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


class RateLimitMiddleware:
    """Answers a page that went over a limit with the 429 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if isinstance(exception, RateLimited):
            return too_many_requests(request, exception.retry_after)
        return None
