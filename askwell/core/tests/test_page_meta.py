"""Canonical links, Open Graph and Twitter card tags on every public page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from askwell.experts.tests.factories import (
    BookFactory,
    ContributorFactory,
    VideoFactory,
)
from askwell.experts.tests.test_structured_data import png
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory
from askwell.testing.pages import links, meta
from askwell.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

SITE = "https://askwell.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.ASKWELL_SITE_URL = SITE
    settings.ASKWELL_EMBEDDING_MODEL = "none"


def _world() -> dict[str, str]:
    """One of each public page, by name, with the title its tags should carry."""
    topic = TopicFactory(name="Gout", slug="gout", description="Joint pain from urate.")
    expert = ContributorFactory(name="Ana Ruiz", slug="ana-ruiz", credentials="MD")
    question = QuestionFactory(
        title="Does cherry juice help gout?", slug="cherry-gout", topics=[topic]
    )
    AnswerFactory(question=question, contributor=expert, body="Maybe a little.")
    BookFactory(title="Living with Gout", slug="living-with-gout")
    VideoFactory(title="Gout in five minutes", slug="gout-video", presenter=expert)
    return {
        "/": "Askwell",
        "/topics/": "Topics",
        "/topics/gout/": "Gout",
        "/topics/gout/subtopics/": "Topics in Gout",
        "/questions/": "All questions",
        "/questions/cherry-gout/": "Does cherry juice help gout?",
        "/contributors/": "Experts and organizations",
        "/contributors/ana-ruiz/": "Ana Ruiz, MD",
        "/books/living-with-gout/": "Living with Gout",
        "/videos/": "Videos",
        "/videos/gout-video/": "Gout in five minutes",
        "/search/": "Search",
    }


def test_every_public_page_has_canonical_open_graph_and_twitter_tags(client):
    # given
    pages = _world()

    for path, title in pages.items():
        # when: with the parameters ad campaigns and share buttons add
        response = client.get(path, {"utm_source": "newsletter", "fbclid": "x1"})
        html = response.content.decode()

        # then
        assert response.status_code == 200, path
        tags = meta(html)
        (canonical,) = links(html, "canonical")
        assert canonical["href"] == f"{SITE}{path}", path
        assert tags["og:url"] == f"{SITE}{path}", path
        assert tags["og:title"] == title, path
        assert tags["og:site_name"] == "Askwell", path
        assert tags["twitter:card"] == "summary", path
        assert tags["twitter:title"] == title, path
        assert tags["og:description"] == tags["description"], path
        assert tags["twitter:description"] == tags["description"], path
        assert 0 < len(tags["description"]) <= 200, path
        assert "robots" not in tags, path


@pytest.mark.parametrize(
    ("path", "og_type"),
    [
        ("/", "website"),
        ("/questions/cherry-gout/", "article"),
        ("/contributors/ana-ruiz/", "profile"),
        ("/books/living-with-gout/", "book"),
        ("/videos/gout-video/", "video.other"),
    ],
)
def test_open_graph_type_fits_the_page(client, path, og_type):
    _world()

    tags = meta(client.get(path).content.decode())

    assert tags["og:type"] == og_type


def test_question_description_is_the_first_answer_as_plain_text(client):
    # given: a long answer in Markdown
    body = "**Rest** helps. " + " ".join(["Drink water <em>often</em>."] * 30)
    question = QuestionFactory(title="How do I get over a cold?")
    AnswerFactory(question=question, body=body)

    # when
    tags = meta(client.get(question.get_absolute_url()).content.decode())

    # then: no markup, cut at a word, at most 200 characters
    description = tags["description"]
    assert description.startswith("Rest helps. Drink water <em>often</em>. Drink")
    assert description.endswith("…")
    assert len(description) <= 200
    assert "<strong>" not in description


def test_an_unanswered_question_is_described_by_its_title(client):
    question = QuestionFactory(title="Is gout hereditary?")

    tags = meta(client.get(question.get_absolute_url()).content.decode())

    assert tags["description"] == "Is gout hereditary?"


def test_paginated_pages_keep_their_page_number(client, settings):
    # given: three pages of questions
    settings.ASKWELL_PAGE_SIZE = 2
    for _ in range(5):
        QuestionFactory()
    url = reverse("questions:list")

    def canonical(params: dict[str, str]) -> str:
        (link,) = links(client.get(url, params).content.decode(), "canonical")
        return link["href"]

    # then
    assert (
        canonical({"page": "2", "utm_medium": "email"}) == f"{SITE}/questions/?page=2"
    )
    assert canonical({"page": "1"}) == f"{SITE}/questions/"


def test_sorted_topic_pages_point_to_the_topic(client):
    TopicFactory(slug="gout")

    html = client.get("/topics/gout/", {"sort": "most-viewed"}).content.decode()

    assert links(html, "canonical")[0]["href"] == f"{SITE}/topics/gout/"


def test_search_results_keep_the_query_and_are_not_indexed(client):
    # given
    QuestionFactory(title="Does cherry juice help gout?")

    # when
    html = client.get(
        "/search/", {"q": "gout & cherries", "kind": "person", "gclid": "z"}
    ).content.decode()

    # then
    tags = meta(html)
    assert links(html, "canonical")[0]["href"] == f"{SITE}/search/?q=gout+%26+cherries"
    assert tags["robots"] == "noindex"
    assert tags["og:title"] == "gout & cherries"


def test_images_are_given_where_a_page_has_one(client):
    # given
    with_photo = ContributorFactory(slug="with-photo", photo=png("face.png"))
    ContributorFactory(slug="no-photo")
    book = BookFactory(slug="with-cover", cover=png("cover.png"))

    # when
    photo_tags = meta(client.get("/contributors/with-photo/").content.decode())
    plain_tags = meta(client.get("/contributors/no-photo/").content.decode())
    cover_tags = meta(client.get("/books/with-cover/").content.decode())

    # then
    assert photo_tags["og:image"] == f"{SITE}{with_photo.photo.url}"
    assert photo_tags["twitter:image"] == f"{SITE}{with_photo.photo.url}"
    assert cover_tags["og:image"] == f"{SITE}{book.cover.url}"
    assert "og:image" not in plain_tags
    assert "twitter:image" not in plain_tags


def test_a_page_that_is_not_found_still_has_its_description(client):
    response = client.get("/questions/no-such-question/")

    assert response.status_code == 404
    assert meta(response.content.decode())["description"]
