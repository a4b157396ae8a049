"""sitemap.xml: every public page search engines should know, on the public
site's address (ASKWELL_SITE_URL).

/sitemap.xml is one sitemap while everything fits in ASKWELL_SITEMAP_LIMIT
addresses; past that it is a sitemap index of /sitemap-<section>.xml files,
each paginated (?p=2…) at that many addresses.
"""

from __future__ import annotations

from datetime import datetime
from functools import cached_property
from typing import Any

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.contrib.sitemaps.views import x_robots_tag
from django.core.paginator import Paginator
from django.db.models import F, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import http_date

from askwell.core.links import site_scheme_and_domain, site_url
from askwell.experts.models import Book, Contributor, Video
from askwell.questions.models import Answer, Question
from askwell.topics.models import Topic


class _SiteSitemap(Sitemap):
    """Addresses on ASKWELL_SITE_URL, whatever host the request came to."""

    @property
    def limit(self) -> int:  # type: ignore[override]
        return settings.ASKWELL_SITEMAP_LIMIT

    @cached_property
    def paginator(self) -> Paginator:  # type: ignore[override]
        """Counted once per request: /sitemap.xml counts every section to
        choose between one file and the index, then lists them."""
        return Paginator(self._items(), self.limit)

    def get_urls(
        self, page: int | str = 1, site: Any = None, protocol: str | None = None
    ) -> list[dict[str, Any]]:
        scheme, domain = site_scheme_and_domain()
        return self._urls(page, scheme, domain)


class StaticSitemap(_SiteSitemap):
    """The pages that are not one object's: the home page and the directories."""

    changefreq = "daily"

    def items(self) -> list[str]:
        return [
            "home",
            "topics:directory",
            "questions:list",
            "experts:contributors",
            "experts:videos",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class QuestionSitemap(_SiteSitemap):
    """Visible questions; a question changes when it or one of its published
    answers does."""

    def items(self) -> QuerySet[Question]:
        last_answer = (
            Answer.objects.published()
            .filter(question=OuterRef("pk"))
            .order_by("-updated_at")
            .values("updated_at")[:1]
        )
        return (
            Question.objects.visible()
            .annotate(
                changed_at=Greatest(
                    "updated_at", Coalesce(Subquery(last_answer), F("updated_at"))
                )
            )
            .only("slug", "updated_at")
            .order_by("pk")
        )

    def lastmod(self, item: Question) -> datetime:
        return item.changed_at  # type: ignore[attr-defined]

    def get_latest_lastmod(self) -> datetime | None:
        latest = [
            Question.objects.visible().aggregate(at=Max("updated_at"))["at"],
            Answer.objects.published().aggregate(at=Max("updated_at"))["at"],
        ]
        return max((at for at in latest if at is not None), default=None)


class TopicSitemap(_SiteSitemap):
    def items(self) -> QuerySet[Topic]:
        return Topic.objects.only("slug").order_by("pk")


class _ChangingSitemap(_SiteSitemap):
    """Rows with an updated_at: each dated by it, the section by the newest."""

    def lastmod(self, item: Contributor | Book | Video) -> datetime:
        return item.updated_at

    def get_latest_lastmod(self) -> datetime | None:
        return self.items().aggregate(at=Max("updated_at"))["at"]


class ContributorSitemap(_ChangingSitemap):
    def items(self) -> QuerySet[Contributor]:
        return Contributor.objects.only("slug", "updated_at").order_by("pk")


class BookSitemap(_ChangingSitemap):
    def items(self) -> QuerySet[Book]:
        return Book.objects.only("slug", "updated_at").order_by("pk")


class VideoSitemap(_ChangingSitemap):
    def items(self) -> QuerySet[Video]:
        return Video.objects.only("slug", "updated_at").order_by("pk")


SITEMAPS: dict[str, type[_SiteSitemap]] = {
    "pages": StaticSitemap,
    "topics": TopicSitemap,
    "questions": QuestionSitemap,
    "contributors": ContributorSitemap,
    "books": BookSitemap,
    "videos": VideoSitemap,
}


def sitemap_xml(request: HttpRequest) -> HttpResponse:
    """One sitemap while every address fits in one file, else the index."""
    sections = {name: cls() for name, cls in SITEMAPS.items()}
    total = sum(section.paginator.count for section in sections.values())
    if total <= settings.ASKWELL_SITEMAP_LIMIT:
        return django_sitemap(request, sections)
    return _index(request, sections)


def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    return django_sitemap(request, SITEMAPS, section=section)


@x_robots_tag
def _index(request: HttpRequest, sections: dict[str, _SiteSitemap]) -> HttpResponse:
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
    changes = [e["last_mod"] for e in entries if e["last_mod"] is not None]
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
