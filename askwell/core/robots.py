"""robots.txt: crawl the public pages, not accounts, queues, the admin,
search results or the API; the sitemap lists what there is."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from askwell.core.links import site_url


def robots_txt(request: HttpRequest) -> HttpResponse:
    search = reverse("search")
    private = [
        "/accounts/",
        "/admin/",
        "/api/",
        "/experts/",  # applying and the editors' application queue
        "/moderation/",
        "/notifications/",
        "/review/",
        reverse("questions:ask"),
        # Result pages of a query: endless and thin; the bare page may stay.
        f"{search}?",
        reverse("search-similar"),
    ]
    lines = [
        "User-agent: *",
        "Allow: /",
        *(f"Disallow: {path}" for path in private),
        "",
        f"Sitemap: {site_url(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
