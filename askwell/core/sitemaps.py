"""sitemap.xml: every public page search engines should know, on the public
site's address (ASKWELL_SITE_URL).

/sitemap.xml is one sitemap while everything fits in ASKWELL_SITEMAP_LIMIT
addresses; past that it is a sitemap index of /sitemap-<section>.xml files,
each paginated (?p=2…) at that many addresses.

Each app owns the sections of its own pages (`<app>/sitemaps.py`, subclasses
of SiteSitemap) and askwell/urls.py composes them into the `sitemaps` the
two views are given, as Django's flatpages sitemap is composed.
"""

from __future__ import annotations

from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.contrib.sitemaps.views import x_robots_tag
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import http_date

from askwell.core.links import site_scheme_and_domain, site_url

Sections = dict[str, type["SiteSitemap"]]
if TYPE_CHECKING:
    # What Django's sitemap view takes: its stub asks for a dict, which is
    # invariant, so a dict of our sections is passed as one of this type.
    DjangoSections = dict[str, Sitemap[Any] | type[Sitemap[Any]]]


class SiteSitemap(Sitemap):  # type: ignore[type-arg]  # Django's class is not generic at run time
    """Addresses on ASKWELL_SITE_URL, whatever host the request came to."""

    @property
    def limit(self) -> int:  # type: ignore[override]  # a property where Django has an attribute
        return settings.ASKWELL_SITEMAP_LIMIT

    @cached_property
    def paginator(self) -> Paginator[Any]:
        """Counted once per request: /sitemap.xml counts every section to
        choose between one file and the index, then lists them."""
        return Paginator(self._items(), self.limit)  # type: ignore[attr-defined]  # Django's private helper, not in the stubs

    def get_urls(
        self, page: int | str = 1, site: Any = None, protocol: str | None = None
    ) -> list[dict[str, Any]]:
        scheme, domain = site_scheme_and_domain()
        urls: list[dict[str, Any]] = self._urls(page, scheme, domain)  # type: ignore[attr-defined]  # as above
        return urls


def static_pages(*routes: str) -> type[SiteSitemap]:
    """A section of the pages that are no one object's (the home page, the
    directories), named by their routes."""

    class StaticSitemap(SiteSitemap):
        changefreq = "daily"

        def items(self) -> list[str]:
            return list(routes)

        def location(self, item: str) -> str:
            return reverse(item)

    return StaticSitemap


def sitemap_xml(request: HttpRequest, sitemaps: Sections) -> HttpResponse:
    """One sitemap while every address fits in one file, else the index."""
    sections = {name: cls() for name, cls in sitemaps.items()}
    total = sum(section.paginator.count for section in sections.values())
    if total <= settings.ASKWELL_SITEMAP_LIMIT:
        return django_sitemap(request, cast("DjangoSections", sections))
    return _index(request, sections)


def sitemap_section(
    request: HttpRequest, section: str, sitemaps: Sections
) -> HttpResponse:
    return django_sitemap(request, cast("DjangoSections", sitemaps), section=section)


@x_robots_tag
def _index(request: HttpRequest, sections: dict[str, SiteSitemap]) -> HttpResponse:
    """Django's sitemap index, with the public site's addresses."""
    entries = []
    for name, section in sections.items():
        url = site_url(reverse("sitemap-section", kwargs={"section": name}))
        lastmod = section.get_latest_lastmod()
        entries.append({"location": url, "last_mod": lastmod})
        entries += [
            {"location": f"{url}?p={page}", "last_mod": lastmod}
            for page in range(2, section.paginator.num_pages + 1)
        ]
    changes = [e["last_mod"] for e in entries if isinstance(e["last_mod"], datetime)]
    headers = (
        {"Last-Modified": http_date(max(changes).timestamp())} if changes else None
    )
    return TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": entries},
        content_type="application/xml",
        headers=headers,
    )
