"""HTTP caching: Cache-Control on every page, ETags and 304s, and a
server-side cache of anonymous pages.

The rules, for responses whose view did not set Cache-Control itself:

- Anything but GET and HEAD: `private, no-store`.
- A page for a signed-in person, or one that carries a CSRF token, shows or
  consumes messages, or sets a cookie: `private, no-store` and
  `Vary: Cookie`.
- An anonymous 200 on one of CACHEABLE_ROUTES, requested without a session
  or messages cookie: `public, max-age=ASKWELL_CACHE_MAX_AGE,
  s-maxage=ASKWELL_CACHE_SHARED_MAX_AGE, stale-while-revalidate=ASKWELL_CACHE_SWR`, a weak ETag and
  `Vary: Cookie, HX-Request`; it is also kept in Django's default cache for
  ASKWELL_PAGE_CACHE_SECONDS and served from there to the next anonymous
  visitor.

ETags are not a hash of the body: they are computed before the view runs,
from the content generation (askwell/core/generation.py, bumped by any write
to shown content), the address (scheme, host, path and query, htmx or not)
and a time period of ASKWELL_PAGE_CACHE_SECONDS, so an If-None-Match costs
one cache read and no database query, and an ETag stays the same for as long
as the content does. The period bounds what the generation cannot see:
"3 days ago", a review falling overdue, the popular-questions order. Each
address's period starts at its own offset, so pages do not all expire at
the same second.

Why a cached page can be shared: the Content-Security-Policy has no nonce
(script-src 'self', no inline script anywhere), so an anonymous page's HTML
holds nothing per request, and the CSRF token and messages, the only other
per-request parts, make a response uncacheable. A nonce would have to be
unguessable and fresh on every response; replaying one from a cached page
to every visitor would make it public. So a response whose policy carries a
nonce is never stored, and the policy that SecurityHeadersMiddleware adds to
a cached page is the same constant the page was rendered under.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags

from askwell.core.generation import content_generation
from askwell.core.ratelimit import RateLimited, hit

logger = logging.getLogger(__name__)

# Pages every anonymous visitor sees alike.
CACHEABLE_ROUTES = frozenset(
    {
        "home",
        "search",
        "topics:directory",
        "topics:detail",
        "topics:subtopics",
        "questions:list",
        "questions:detail",
        "questions:history",
        "questions:answer-history",
        "experts:contributors",
        "experts:contributor",
        "experts:book",
        "experts:videos",
        "experts:video",
        "experts:contributor_feed",
        "topics:feed",
        "sitemap",
        "sitemap-section",
        "robots",
    }
)
PRIVATE = "private, no-store"
# Response headers a cached page does not keep: cookies are never stored, and
# the caching headers are set afresh on each reply.
_NOT_STORED = {"set-cookie", "cache-control", "etag", "vary", "expires", "date"}
# A response varying on anything else is not shared.
_SHAREABLE_VARY = {"cookie", "hx-request"}


@dataclass(frozen=True)
class Page:
    """An anonymous request for a cacheable page, and where its copy lives."""

    etag: str
    key: str
    timeout: int
    route: ResolverMatch


def public_cache_control() -> str:
    return (
        f"public, max-age={settings.ASKWELL_CACHE_MAX_AGE}, "
        f"s-maxage={settings.ASKWELL_CACHE_SHARED_MAX_AGE}, "
        f"stale-while-revalidate={settings.ASKWELL_CACHE_SWR}"
    )


def _anonymous_request(request: HttpRequest) -> bool:
    """No session (so nobody signed in) and no messages waiting to be shown."""
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def _page(request: HttpRequest) -> Page | None:
    if request.method not in ("GET", "HEAD") or not _anonymous_request(request):
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if match.view_name not in CACHEABLE_ROUTES:
        return None
    try:
        generation = content_generation()
    except Exception:
        logger.exception("The shared cache is unreachable; not caching")
        return None
    address = "|".join(
        (
            request.scheme or "",
            request.get_host(),
            request.get_full_path(),
            request.headers.get("HX-Request", ""),
        )
    )
    digest = hashlib.sha256(address.encode()).hexdigest()
    period = max(settings.ASKWELL_PAGE_CACHE_SECONDS, 1)
    moment = time.time() + int(digest[:8], 16) % period
    bucket = int(moment // period)
    timeout = max(int(period - moment % period), 1)
    return Page(
        etag=f'W/"{generation:x}-{bucket:x}-{digest[:20]}"',
        key=f"page:{generation:x}:{bucket:x}:{digest}",
        timeout=timeout,
        route=match,
    )


def _public(response: HttpResponse, page: Page) -> HttpResponse:
    response["Cache-Control"] = public_cache_control()
    response["ETag"] = page.etag
    patch_vary_headers(response, ("Cookie", "HX-Request"))
    return response


def _not_modified(request: HttpRequest, page: Page) -> bool:
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    tags = {tag.removeprefix("W/") for tag in parse_etags(header)}
    return "*" in tags or page.etag.removeprefix("W/") in tags


def _within_rate_limit(request: HttpRequest, page: Page) -> bool:
    """An answer from the cache counts against the view's rate limit as the
    view would. Over it, the view runs, counts again and answers 429."""
    limit = getattr(page.route.func, "rate_limit", None)
    if limit is None or request.method not in limit[1]:
        return True
    try:
        hit(request, limit[0])
    except RateLimited:
        return False
    return True


def _reply_early(request: HttpRequest, page: Page) -> HttpResponse | None:
    """A 304, or the page from the cache; None when the view must run."""
    response = _from_cache(request, page)
    if response is None or not _within_rate_limit(request, page):
        return None
    return _public(response, page)


def _from_cache(request: HttpRequest, page: Page) -> HttpResponse | None:
    if _not_modified(request, page):
        return HttpResponseNotModified()
    if not settings.ASKWELL_PAGE_CACHE:
        return None
    try:
        stored = cache.get(page.key)
    except Exception:
        logger.exception("The page cache is unreachable")
        return None
    if stored is None:
        return None
    response = HttpResponse(stored["content"])
    for name, value in stored["headers"]:
        response[name] = value
    response["X-Askwell-Cache"] = "hit"
    return response


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


def _personal(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether the response holds or changes something of this visitor's."""
    storage = getattr(request, "_messages", None)
    return bool(
        _signed_in(request)
        or response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or (storage is not None and (storage.used or len(storage)))
    )


def _shareable(response: HttpResponse) -> bool:
    vary = {
        part.strip().lower()
        for part in response.get("Vary", "").split(",")
        if part.strip()
    }
    return (
        response.status_code == 200
        and not response.streaming
        and vary <= _SHAREABLE_VARY
        and "'nonce-" not in response.get("Content-Security-Policy", "")
    )


def _store(request: HttpRequest, response: HttpResponse, page: Page) -> None:
    if request.method != "GET":
        return
    headers = [
        (name, value)
        for name, value in response.items()
        if name.lower() not in _NOT_STORED
    ]
    try:
        cache.set(
            page.key,
            {"content": response.content, "headers": headers},
            timeout=page.timeout,
        )
    except Exception:
        logger.exception("The page cache is unreachable")


class HttpCacheMiddleware:
    """Sits below SecurityHeadersMiddleware and WhiteNoise, so a page from
    the cache still gets the security headers, and static files keep
    WhiteNoise's own caching; above the session, CSRF and message
    middleware, so an anonymous hit touches neither the session nor the
    database (but for the count of a rate-limited page, which without
    Redis is kept in the database)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        page = _page(request)
        if page is not None:
            early = _reply_early(request, page)
            if early is not None:
                return early
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response  # the view decided
        if request.method not in ("GET", "HEAD"):
            response["Cache-Control"] = PRIVATE
        elif _personal(request, response):
            response["Cache-Control"] = PRIVATE
            patch_vary_headers(response, ("Cookie",))
        elif page is not None and _shareable(response):
            if settings.ASKWELL_PAGE_CACHE:
                _store(request, response, page)
                response["X-Askwell-Cache"] = "miss"
            _public(response, page)
        elif _view_name(request) in CACHEABLE_ROUTES:
            # Not shared (a session cookie came with it, or not a 200), so
            # neither a proxy nor the browser may keep it.
            response["Cache-Control"] = PRIVATE
            patch_vary_headers(response, ("Cookie",))
        return response


def _view_name(request: HttpRequest) -> str | None:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else None
