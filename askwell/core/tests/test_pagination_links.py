"""The one pagination component keeps every filter of the page it is on."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


def test_page_links_keep_the_filters_and_change_only_the_page():
    # given: the review queue filtered by topic and specialty, on page 2 of 3
    request = RequestFactory().get(
        "/review/", {"topic": "gout", "specialty": "Rheumatology", "page": "2"}
    )
    request.user = AnonymousUser()
    page = Paginator(range(30), 10).page(2)

    # when
    html = render_to_string(
        "components/_pagination.html", {"page": page, "label": "Pages"}, request
    )

    # then
    assert 'href="?topic=gout&amp;specialty=Rheumatology&amp;page=1"' in html, html
    assert 'href="?topic=gout&amp;specialty=Rheumatology&amp;page=3"' in html
    assert "Page 2 of 3" in html
