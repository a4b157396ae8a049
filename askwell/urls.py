from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from askwell.core import health
from askwell.core import views as core_views
from askwell.core.robots import robots_txt
from askwell.core.sitemaps import sitemap_section, sitemap_xml, static_pages
from askwell.experts import urls as experts_urls
from askwell.experts.sitemaps import BookSitemap, ContributorSitemap, VideoSitemap
from askwell.questions import browse
from askwell.questions import urls as questions_urls
from askwell.questions.sitemaps import QuestionSitemap
from askwell.search import urls as search_urls
from askwell.search import views as search_views
from askwell.topics import urls as topics_urls
from askwell.topics.sitemaps import TopicSitemap

# The sections of sitemap.xml, in this order; each app owns its own.
SITEMAPS = {
    "pages": static_pages(
        "home",
        "topics:directory",
        "questions:list",
        "experts:contributors",
        "experts:videos",
    ),
    "topics": TopicSitemap,
    "questions": QuestionSitemap,
    "contributors": ContributorSitemap,
    "books": BookSitemap,
    "videos": VideoSitemap,
}

urlpatterns = [
    path("", browse.home, name="home"),
    path("robots.txt", robots_txt, name="robots"),
    path("sitemap.xml", sitemap_xml, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "sitemap-<slug:section>.xml",
        sitemap_section,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("search/", search_views.search_page, name="search"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("search/similar/", search_views.similar, name="search-similar"),
    # Topics' and experts' pages that list questions or answers are the
    # questions' (questions/browse.py), under the same names.
    path(
        "topics/",
        include((topics_urls.urlpatterns + questions_urls.topic_pages, "topics")),
    ),
    # The ask page's topic suggestions are search's, under the questions' names.
    path(
        "questions/",
        include((search_urls.ask_page_aids + questions_urls.urlpatterns, "questions")),
    ),
    path(
        "",
        include(
            (experts_urls.urlpatterns + questions_urls.contributor_pages, "experts")
        ),
    ),
    path("accounts/", include("askwell.accounts.urls")),
    path("notifications/", include("askwell.notifications.urls")),
    path("moderation/", include("askwell.moderation.urls")),
    path("review/", include("askwell.review.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("askwell.api.urls")),
    # Uploaded photos and covers. In production a reverse proxy should serve
    # /media/ itself; this keeps the single-process demo complete.
    path("media/<path:path>", core_views.media, name="media"),
]

handler500 = "askwell.core.views.server_error"
