"""Rate limits per user and per IP address, counted in Django's cache.

Each limit has a name (`"login"`, `"ask"`, …) and, in
`settings.ASKWELL_RATE_LIMITS`, one rate per key it is counted under:

- `"ip"`: the client's address (an IPv6 client counts by its /64 network,
  since one household or phone gets a whole /64);
- `"user"`: the signed-in account (anonymous requests skip this key);
- `"ip+<field>"`: the address together with a posted field, e.g.
  `"ip+login"` counts sign-in attempts per address and account name.

A rate is `"<count>/<period>"`, the period being `s`, `m`, `h` or `d`, with
an optional multiplier: `"5/15m"` is five per quarter hour. Counts run in
fixed windows of that period, so a limit always lifts when its window
ends: sign-in throttling can slow down guessing at one account from one
address, but never lock its owner out for longer than a window, nor at all
from another address.

Why not django-ratelimit: its exception does not say when the limit lifts
(pages and the API must say so), and its system check flags the
local-memory cache Askwell uses by default, which would make
`check --deploy` print a warning on every default install.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

View = TypeVar("View", bound=Callable[..., Any])

_RATE = re.compile(r"^(?P<count>\d+)/(?P<multiplier>\d*)(?P<unit>[smhd])$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


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
    address = request.META.get("REMOTE_ADDR", "")
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


def _identity(request: HttpRequest, key: str) -> str | None:
    if key == "ip":
        return client_ip(request)
    if key == "user":
        user = getattr(request, "user", None)
        return str(user.pk) if user is not None and user.is_authenticated else None
    if key.startswith("ip+"):
        value = request.POST.get(key[3:], "").strip().casefold()
        return f"{client_ip(request)}|{value}"
    raise ValueError(f"Unknown rate-limit key {key!r}: use ip, user or ip+<field>.")


def limits_for(name: str) -> dict[str, Rate]:
    rates: dict[str, str] = settings.ASKWELL_RATE_LIMITS[name]
    return {key: Rate.parse(rate) for key, rate in rates.items()}


def hit(request: HttpRequest, name: str) -> None:
    """Count this request under every key of the limit `name`; raise
    RateLimited if any count is over its rate."""
    moment = now()
    wait = 0
    for key, rate in limits_for(name).items():
        identity = _identity(request, key)
        if identity is None:
            continue
        window = int(moment // rate.period)
        digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
        cache_key = f"ratelimit:{name}:{key}:{digest}:{window}"
        # add() then incr() is atomic in both the local-memory cache and
        # Redis; the count expires with its window.
        cache.add(cache_key, 0, timeout=rate.period + 1)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add() and incr()
            cache.set(cache_key, 1, timeout=rate.period + 1)
            count = 1
        if count > rate.count:
            left = math.ceil((window + 1) * rate.period - moment)
            wait = max(wait, left, 1)
    if wait:
        raise RateLimited(name, wait)


def rate_limit(
    name: str, *, methods: tuple[str, ...] = ("POST",)
) -> Callable[[View], View]:
    """Count requests with these methods under the limit `name` before the view
    runs. Over the limit, RateLimited is raised: RateLimitMiddleware answers
    pages, and the API's exception handler answers JSON."""
    limits_for(name)  # Fail at import time on an unknown name or a bad rate.

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if request.method in methods:
                hit(request, name)
            return view(request, *args, **kwargs)

        # HttpCacheMiddleware counts a page it answers from its cache.
        wrapped.rate_limit = (name, methods)  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

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
