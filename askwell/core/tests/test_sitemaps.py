"""sitemap.xml (one file, or an index once large) and robots.txt, read as a
crawler reads them."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from askwell.experts.models import Contributor
from askwell.experts.tests.factories import (
    BookFactory,
    ContributorFactory,
    OrganizationFactory,
    VideoFactory,
)
from askwell.questions.models import Answer, Question
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory
from askwell.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

SITE = "https://askwell.example.org"
NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
STATIC = {
    f"{SITE}/",
    f"{SITE}/topics/",
    f"{SITE}/questions/",
    f"{SITE}/contributors/",
    f"{SITE}/videos/",
}


@pytest.fixture(autouse=True)
def _site(settings):
    settings.ASKWELL_SITE_URL = SITE


def _xml(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/xml"
    return ET.fromstring(response.content)  # noqa: S314 (our own output)


def _urls(root: ET.Element) -> dict[str, str | None]:
    assert root.tag == f"{NS}urlset"
    return {
        url.findtext(f"{NS}loc"): url.findtext(f"{NS}lastmod")
        for url in root.findall(f"{NS}url")
    }


def _content() -> set[str]:
    """One of everything, and questions readers cannot see; the addresses
    the sitemap should list."""
    TopicFactory(slug="gout")
    shown = QuestionFactory(slug="shown")
    for state in (
        Question.Moderation.HELD,
        Question.Moderation.HIDDEN,
        Question.Moderation.DELETED,
    ):
        QuestionFactory(slug=f"not-{state}", moderation=state)
    AnswerFactory(question=shown, contributor=ContributorFactory(slug="ana"))
    OrganizationFactory(slug="society")
    BookFactory(slug="guide")
    VideoFactory(slug="talk", presenter=None)
    return STATIC | {
        f"{SITE}/topics/gout/",
        f"{SITE}/questions/shown/",
        f"{SITE}/contributors/ana/",
        f"{SITE}/contributors/society/",
        f"{SITE}/books/guide/",
        f"{SITE}/videos/talk/",
    }


def test_sitemap_lists_every_public_page_readers_can_see(client):
    # given
    expected = _content()

    # when
    urls = _urls(_xml(client, "/sitemap.xml"))

    # then
    assert set(urls) == expected


def test_a_question_changes_when_its_newest_answer_does(client):
    # given: a question from last year, answered yesterday, edited today
    # (hidden answers do not count)
    long_ago = timezone.now() - timedelta(days=365)
    question = QuestionFactory(slug="gout-diet")
    Question.objects.filter(pk=question.pk).update(updated_at=long_ago)
    answer = AnswerFactory(question=question)
    hidden = AnswerFactory(question=question, status=Answer.Status.HIDDEN)
    Answer.objects.filter(pk=hidden.pk).update(updated_at=timezone.now())
    yesterday = timezone.now() - timedelta(days=1)
    Answer.objects.filter(pk=answer.pk).update(updated_at=yesterday)
    QuestionFactory(slug="unanswered")
    Question.objects.filter(slug="unanswered").update(updated_at=long_ago)

    # when
    urls = _urls(_xml(client, "/sitemap.xml"))

    # then
    assert urls[f"{SITE}/questions/gout-diet/"] == yesterday.date().isoformat()
    assert urls[f"{SITE}/questions/unanswered/"] == long_ago.date().isoformat()


def test_a_large_site_gets_a_sitemap_index_of_paginated_sections(client, settings):
    # given: at most three addresses a file
    settings.ASKWELL_SITEMAP_LIMIT = 3
    expected = _content()

    # when
    index = _xml(client, "/sitemap.xml")

    # then: every section is listed, with a page for each three addresses
    assert index.tag == f"{NS}sitemapindex"
    files = [s.findtext(f"{NS}loc") for s in index.findall(f"{NS}sitemap")]
    assert files == [
        f"{SITE}/sitemap-pages.xml",
        f"{SITE}/sitemap-pages.xml?p=2",
        f"{SITE}/sitemap-topics.xml",
        f"{SITE}/sitemap-questions.xml",
        f"{SITE}/sitemap-contributors.xml",
        f"{SITE}/sitemap-books.xml",
        f"{SITE}/sitemap-videos.xml",
    ]
    found: set[str] = set()
    for file in files:
        urls = _urls(_xml(client, file.removeprefix(SITE)))
        assert 1 <= len(urls) <= 3
        found |= set(urls)
    assert found == expected


def test_the_index_dates_each_section_by_its_newest_change(client, settings):
    settings.ASKWELL_SITEMAP_LIMIT = 1
    _content()
    newest = Answer.objects.get().updated_at

    index = _xml(client, "/sitemap.xml")

    dates = {
        s.findtext(f"{NS}loc"): s.findtext(f"{NS}lastmod")
        for s in index.findall(f"{NS}sitemap")
    }
    assert dates[f"{SITE}/sitemap-questions.xml"] == newest.isoformat()
    assert dates[f"{SITE}/sitemap-contributors.xml"] == (
        Contributor.objects.latest("updated_at").updated_at.isoformat()
    )
    assert dates[f"{SITE}/sitemap-topics.xml"] is None


@pytest.mark.parametrize(
    "url",
    ["/sitemap-nothing.xml", "/sitemap-questions.xml?p=2", "/sitemap.xml?p=x"],
)
def test_unknown_sections_and_pages_are_404(client, url):
    QuestionFactory()

    assert client.get(url).status_code == 404


def test_robots_txt_keeps_crawlers_to_public_pages_and_names_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().splitlines() == [
        "User-agent: *",
        "Allow: /",
        "Disallow: /accounts/",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /experts/",
        "Disallow: /moderation/",
        "Disallow: /notifications/",
        "Disallow: /review/",
        "Disallow: /questions/ask/",
        "Disallow: /search/?",
        "Disallow: /search/similar/",
        "",
        f"Sitemap: {SITE}/sitemap.xml",
    ]


@pytest.mark.parametrize("n", [1, 12])
def test_sitemap_takes_a_fixed_number_of_queries(client, django_assert_num_queries, n):
    """A count and a page of rows for each of topics, questions (with their
    newest answer's date as a subquery), contributors, books and videos; the
    directory pages need none."""
    for _ in range(n):
        AnswerFactory(question=QuestionFactory(topics=[TopicFactory()]))
        BookFactory()
        VideoFactory()

    with django_assert_num_queries(10):
        urls = _urls(_xml(client, "/sitemap.xml"))

    # n topics, questions, books, videos; 2n contributors (answers and videos)
    assert len(urls) == len(STATIC) + 6 * n
