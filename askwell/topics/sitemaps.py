"""The topics' section of sitemap.xml (askwell/core/sitemaps.py)."""

from __future__ import annotations

from django.db.models import QuerySet

from askwell.core.sitemaps import SiteSitemap
from askwell.topics.models import Topic


class TopicSitemap(SiteSitemap):
    def items(self) -> QuerySet[Topic]:
        return Topic.objects.only("slug").order_by("pk")
