"""HTTP caching: Cache-Control per kind of response, ETags and 304s, and the
server-side page cache, on the local-memory cache and on a real Redis."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from askwell.accounts.tests.factories import UserFactory
from askwell.core import caching
from askwell.experts.tests.factories import (
    BookFactory,
    ContributorFactory,
    VideoFactory,
)
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory
from askwell.topics.tests.factories import TopicFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cache_backend")]

PUBLIC = "public, max-age=60, s-maxage=10, stale-while-revalidate=300"


@pytest.fixture
def site():
    """One of each kind of public page's content."""
    topic = TopicFactory(name="Colds", slug="colds")
    person = ContributorFactory(name="Jane Doe", slug="jane-doe")
    question = QuestionFactory(
        title="How long does a cold last?", slug="cold-length", topics=[topic]
    )
    answer = AnswerFactory(question=question, contributor=person)
    return {
        "topic": topic,
        "person": person,
        "question": question,
        "answer": answer,
        "book": BookFactory(slug="cold-book"),
        "video": VideoFactory(slug="cold-video"),
    }


def _html_pages(site) -> list[str]:
    return [
        reverse("home"),
        reverse("search") + "?q=cold",
        reverse("topics:directory"),
        reverse("topics:detail", kwargs={"slug": "colds"}),
        reverse("questions:list"),
        reverse("questions:detail", kwargs={"slug": "cold-length"}),
        reverse("questions:history", kwargs={"slug": "cold-length"}),
        reverse("questions:answer-history", kwargs={"pk": site["answer"].pk}),
        reverse("experts:contributors"),
        reverse("experts:contributor", kwargs={"slug": "jane-doe"}),
        reverse("experts:book", kwargs={"slug": "cold-book"}),
        reverse("experts:videos"),
        reverse("experts:video", kwargs={"slug": "cold-video"}),
    ]


def _public_pages(site) -> list[str]:
    """The HTML pages, feeds, sitemaps and robots.txt."""
    return [
        *_html_pages(site),
        reverse("experts:contributor_feed", kwargs={"slug": "jane-doe"}),
        reverse("topics:feed", kwargs={"slug": "colds"}),
        reverse("sitemap"),
        reverse("sitemap-section", kwargs={"section": "questions"}),
        reverse("robots"),
    ]


@pytest.fixture
def settings_defaults(settings):
    settings.ASKWELL_CACHE_MAX_AGE = 60
    settings.ASKWELL_CACHE_SWR = 300
    settings.ASKWELL_CACHE_SHARED_MAX_AGE = 10
    settings.ASKWELL_PAGE_CACHE = True
    settings.ASKWELL_PAGE_CACHE_SECONDS = 600
    return settings


# --- Cache-Control ----------------------------------------------------------------


def test_anonymous_pages_are_public_with_an_etag(client, site, settings_defaults):
    for url in _public_pages(site):
        # when
        response = client.get(url)

        # then
        assert response.status_code == 200, url
        assert response["Cache-Control"] == PUBLIC, url
        assert response["ETag"].startswith('W/"'), url
        assert response["Vary"] == "Cookie, HX-Request", url
        assert not response.cookies, url


def test_cache_ages_come_from_settings(client, site, settings):
    # given
    settings.ASKWELL_CACHE_MAX_AGE = 5
    settings.ASKWELL_CACHE_SWR = 30
    settings.ASKWELL_CACHE_SHARED_MAX_AGE = 2

    # when
    response = client.get("/")

    # then
    assert (
        response["Cache-Control"]
        == "public, max-age=5, s-maxage=2, stale-while-revalidate=30"
    )


def test_signed_in_pages_are_private(client, site, settings_defaults):
    # given
    client.force_login(UserFactory(username="alice"))

    for url in _public_pages(site):
        # when
        response = client.get(url)

        # then
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store", url
        assert "ETag" not in response, url
        assert "Cookie" in response["Vary"], url
        assert "X-Askwell-Cache" not in response, url


@pytest.mark.parametrize(
    "name", ["accounts:login", "accounts:signup", "accounts:password_reset"]
)
def test_form_pages_are_private(client, name):
    # when
    response = client.get(reverse(name))

    # then: they carry a CSRF token.
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    assert "Cookie" in response["Vary"]


def test_a_page_showing_a_message_is_private(client, site, settings_defaults):
    # given: signing out leaves a message for the next page, the home page.
    client.force_login(UserFactory(username="alice"))
    client.post(reverse("accounts:logout"))

    # when
    response = client.get("/")

    # then
    assert "messages" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    assert "ETag" not in response


def test_post_responses_are_private(client, site):
    # when: an anonymous preview and vote (both refused), a sign-in
    responses = [
        client.post(reverse("questions:preview"), {"body": "Rest helps."}),
        client.post(reverse("questions:helpful", kwargs={"pk": site["answer"].pk})),
        client.post(reverse("accounts:login"), {"login": "x", "password": "y"}),
    ]

    # then
    assert [r["Cache-Control"] for r in responses] == ["private, no-store"] * 3


def test_static_files_keep_whitenoise_caching(client):
    # when
    response = client.get("/static/askwell/site.css")

    # then
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=")
    assert "private" not in response["Cache-Control"]


# --- ETag and 304 -----------------------------------------------------------------


def test_a_matching_if_none_match_gets_304(client, site, settings_defaults):
    for url in _public_pages(site):
        # given
        first = client.get(url)

        # when
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

        # then
        assert again.status_code == 304, url
        assert again.content == b""
        assert again["ETag"] == first["ETag"]
        assert again["Cache-Control"] == PUBLIC
        assert again["Vary"] == "Cookie, HX-Request"


def test_a_304_costs_no_database_query(
    client, site, settings_defaults, django_assert_num_queries
):
    # given
    url = site["question"].get_absolute_url()
    etag = client.get(url)["ETag"]

    # when
    with django_assert_num_queries(0):
        response = client.get(url, HTTP_IF_NONE_MATCH=f'"other", {etag}')

    # then
    assert response.status_code == 304


def test_the_etag_stays_the_same_while_content_does(client, site, settings_defaults):
    # given
    url = site["question"].get_absolute_url()

    # when
    etags = {client.get(url)["ETag"] for _ in range(3)}

    # then
    assert len(etags) == 1


def test_each_address_has_its_own_etag(client, site, settings_defaults):
    # when
    etags = {client.get(url)["ETag"] for url in _public_pages(site)}
    etags.add(client.get("/search/?q=flu")["ETag"])
    etags.add(client.get("/", HTTP_HX_REQUEST="true")["ETag"])

    # then
    assert len(etags) == len(_public_pages(site)) + 2


def test_an_old_etag_gets_the_page(client, site, settings_defaults):
    # when
    response = client.get("/", HTTP_IF_NONE_MATCH='W/"0-0-0"')

    # then
    assert response.status_code == 200
    assert "How long does a cold last?" in response.content.decode()


def test_signed_in_readers_never_get_304(client, site, settings_defaults):
    # given
    url = site["question"].get_absolute_url()
    etag = client.get(url)["ETag"]
    client.force_login(UserFactory(username="alice"))

    # when
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)

    # then
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


# --- the server-side page cache ---------------------------------------------------


def test_the_second_anonymous_request_is_served_from_the_cache(
    client, site, settings_defaults, django_assert_num_queries
):
    # given
    url = site["question"].get_absolute_url()
    first = client.get(url)

    # when
    with django_assert_num_queries(0):
        second = Client().get(url)

    # then
    assert first["X-Askwell-Cache"] == "miss"
    assert second["X-Askwell-Cache"] == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Cache-Control"] == PUBLIC
    assert second["Content-Type"] == "text/html; charset=utf-8"


def test_a_cached_page_keeps_the_security_headers(client, site, settings_defaults):
    # given
    first = client.get("/")

    # when
    second = client.get("/")

    # then
    assert second["X-Askwell-Cache"] == "hit"
    for header in (
        "Content-Security-Policy",
        "Permissions-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
    ):
        assert second[header] == first[header], header


def test_the_page_cache_can_be_turned_off(client, site, settings):
    # given
    settings.ASKWELL_PAGE_CACHE = False
    first = client.get("/")

    # when
    second = client.get("/")

    # then: still public, with the same ETag, but rendered again
    assert "X-Askwell-Cache" not in second
    assert second["ETag"] == first["ETag"]
    assert client.get("/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_htmx_and_full_requests_are_cached_apart(client, site, settings_defaults):
    # given
    url = reverse("topics:subtopics", kwargs={"slug": "colds"})
    full = client.get(url)

    # when
    fragment = client.get(url, HTTP_HX_REQUEST="true")

    # then
    assert fragment["X-Askwell-Cache"] == "miss"
    assert fragment["ETag"] != full["ETag"]


def test_a_request_with_a_session_cookie_is_not_served_from_the_cache(
    client, site, settings_defaults
):
    # given
    client.get("/")
    client.cookies["sessionid"] = "not-a-session"

    # when
    response = client.get("/")

    # then
    assert "X-Askwell-Cache" not in response
    assert response["Cache-Control"] == "private, no-store"


def test_404_is_not_cached(client, settings_defaults):
    # when
    response = client.get("/questions/no-such-question/")

    # then
    assert response.status_code == 404
    assert response["Cache-Control"] == "private, no-store"
    assert "ETag" not in response


def test_cacheable_routes_exist():
    """A renamed route must not silently drop out of the cache."""
    from django.urls import get_resolver

    from askwell.core.tests.test_authorization_matrix import _named_routes

    routes = set(_named_routes(get_resolver().url_patterns))

    assert sorted(caching.CACHEABLE_ROUTES - routes) == []


# --- nothing personal in a shared page --------------------------------------------


def test_a_signed_in_page_never_reaches_anonymous_visitors(
    client, site, settings_defaults
):
    # given: Alice visits every page first
    client.force_login(UserFactory(username="alice-signed-in"))
    for url in _html_pages(site):
        assert "alice-signed-in" in client.get(url).content.decode(), url

    for url in _html_pages(site):
        # when
        response = Client().get(url)

        # then
        page = response.content.decode()
        assert response["X-Askwell-Cache"] == "miss", url
        assert "alice-signed-in" not in page, url
        assert "Sign out" not in page, url
        assert "csrfmiddlewaretoken" not in page, url


def test_a_cached_anonymous_page_never_reaches_a_signed_in_reader(
    client, site, settings_defaults
):
    # given: anonymous visitors filled the cache
    for url in _html_pages(site):
        Client().get(url)
        assert Client().get(url)["X-Askwell-Cache"] == "hit", url
    client.force_login(UserFactory(username="alice-signed-in"))

    for url in _html_pages(site):
        # when
        response = client.get(url)

        # then
        page = response.content.decode()
        assert "X-Askwell-Cache" not in response, url
        assert "alice-signed-in" in page, url
        assert "Sign out" in page, url
