from __future__ import annotations

import pytest
from django.test import Client
from django.urls import path

from askwell import urls
from askwell.experts.tests.factories import (
    BookFactory,
    ContributorFactory,
    VideoFactory,
)
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory
from askwell.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


def test_home_shows_topic_directory_recent_and_popular_questions_and_search(client):
    root = TopicFactory(name="Heart Health")
    TopicFactory(name="Heart Attack", parent=root)
    QuestionFactory(title="Popular question?", view_count=5000)
    QuestionFactory(title="Recent question?", view_count=1)

    response = client.get("/")
    html = response.content.decode()

    assert "Heart Health" in html
    assert "Heart Attack" in html
    assert [q.title for q in response.context["recent_questions"]] == [
        "Recent question?",
        "Popular question?",
    ]
    assert [q.title for q in response.context["popular_questions"]] == [
        "Popular question?",
        "Recent question?",
    ]
    assert 'role="search"' in html
    assert 'action="/search/"' in html


def test_empty_site_home_has_empty_states(client):
    html = client.get("/").content.decode()

    assert "No questions yet." in html
    assert "No topics yet." in html


def test_404_page_is_in_site_style(client):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "We couldn’t find that page" in html
    assert 'class="skip-link"' in html
    assert "Not medical advice" in html


def test_500_page_is_in_site_style(settings):
    def broken(request):
        raise RuntimeError("boom")

    settings.ROOT_URLCONF = type(
        "urls",
        (),
        {
            "urlpatterns": [path("boom/", broken), *urls.urlpatterns],
            "handler500": urls.handler500,
        },
    )

    response = Client(raise_request_exception=False).get("/boom/")

    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert settings.ASKWELL_DISCLAIMER.split(".")[0] in html


@pytest.mark.parametrize(
    "page",
    ["home", "topic", "question", "profile", "book", "video", "lists", "search", "404"],
)
def test_every_page_carries_the_operators_disclaimer(client, settings, page):
    settings.ASKWELL_DISCLAIMER = "Set by the operator: this is not medical advice."
    topic = TopicFactory()
    answer = AnswerFactory(question=QuestionFactory(topics=[topic]))
    urls = {
        "home": "/",
        "topic": topic.get_absolute_url(),
        "question": answer.question.get_absolute_url(),
        "profile": ContributorFactory().get_absolute_url(),
        "book": BookFactory().get_absolute_url(),
        "video": VideoFactory().get_absolute_url(),
        "lists": "/questions/",
        "search": "/search/?q=x",
        "404": "/missing/",
    }

    html = client.get(urls[page]).content.decode()

    assert "Set by the operator: this is not medical advice." in html


def test_pages_have_landmarks_and_a_skip_link(client):
    html = client.get("/").content.decode()

    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert "<header" in html
    assert '<nav class="site-nav" aria-label="Main">' in html
    assert "<footer" in html
    assert '<html lang="en">' in html
