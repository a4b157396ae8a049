"""The contributors', books' and videos' sections of sitemap.xml
(askwell/core/sitemaps.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Max, QuerySet

from askwell.core.sitemaps import SiteSitemap
from askwell.experts.models import Book, Contributor, Video


class _ChangingSitemap(SiteSitemap):
    """Rows with an updated_at: each dated by it, the section by the newest."""

    def lastmod(self, item: Contributor | Book | Video) -> datetime:
        return item.updated_at

    def items(self) -> QuerySet[Any]:
        raise NotImplementedError("Each section lists its own rows.")

    def get_latest_lastmod(self) -> datetime | None:
        latest: datetime | None = self.items().aggregate(at=Max("updated_at"))["at"]
        return latest


class ContributorSitemap(_ChangingSitemap):
    def items(self) -> QuerySet[Contributor]:
        return Contributor.objects.only("slug", "updated_at").order_by("pk")


class BookSitemap(_ChangingSitemap):
    def items(self) -> QuerySet[Book]:
        return Book.objects.only("slug", "updated_at").order_by("pk")


class VideoSitemap(_ChangingSitemap):
    def items(self) -> QuerySet[Video]:
        return Video.objects.only("slug", "updated_at").order_by("pk")
