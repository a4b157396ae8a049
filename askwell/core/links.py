"""Absolute addresses on the public site, from ASKWELL_SITE_URL.

Canonical links, Open Graph tags, JSON-LD, sitemaps and feeds name pages by
the operator's public address, never by the Host header a request came in
with: a proxy, a test client or a stray host name must not change what
search engines are told the page is called.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def site_url(path: str = "/") -> str:
    """`path` (an absolute path such as get_absolute_url() returns) on the public site."""
    return settings.ASKWELL_SITE_URL.rstrip("/") + path


def site_scheme_and_domain() -> tuple[str, str]:
    """("https", "askwell.example.org") for the public site, as sitemaps need them;
    a path in ASKWELL_SITE_URL stays with the domain, as site_url() keeps it."""
    parts = urlsplit(settings.ASKWELL_SITE_URL.rstrip("/"))
    return parts.scheme or "https", parts.netloc + parts.path
