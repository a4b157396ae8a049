"""Atom feeds per topic and per contributor, parsed as a feed reader does."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from askwell.accounts.tests.factories import EditorFactory, UserFactory
from askwell.experts.tests.factories import ContributorFactory
from askwell.moderation.actions import hide_content
from askwell.questions.models import Answer, Question
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory
from askwell.testing.pages import links
from askwell.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

SITE = "https://askwell.example.org"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.ASKWELL_SITE_URL = SITE
    settings.ASKWELL_EMBEDDING_MODEL = "none"


def _feed(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.content)  # noqa: S314 (our own output)


def _entries(feed: ET.Element) -> list[dict[str, str | None]]:
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "author": entry.findtext(f"{ATOM}author/{ATOM}name"),
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


def _ago(minutes: int):
    return timezone.now() - timedelta(minutes=minutes)


def test_topic_feed_lists_new_questions_and_answers_newest_first(client):
    # given: a topic with a subtopic, content in both, and in another topic
    gout = TopicFactory(name="Gout", slug="gout")
    diet = TopicFactory(name="Gout diet", slug="gout-diet", parent=gout)
    asker = UserFactory(username="curious")
    older = QuestionFactory(
        title="Is gout hereditary?",
        slug="hereditary",
        topics=[gout],
        asker=asker,
        created_at=_ago(60),
    )
    newer = QuestionFactory(
        title="Does cherry juice help?",
        slug="cherry",
        topics=[diet],
        created_at=_ago(30),
    )
    expert = ContributorFactory(name="Ana Ruiz", slug="ana-ruiz", credentials="MD")
    answer = AnswerFactory(question=older, contributor=expert, created_at=_ago(10))
    QuestionFactory(title="Elsewhere", topics=[TopicFactory()])

    # when
    feed = _feed(client, "/topics/gout/feed/")

    # then
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") == "Gout: new on Askwell"
    assert feed.findtext(f"{ATOM}id") == f"{SITE}/topics/gout/"
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "Askwell"
    assert {
        (link.get("rel"), link.get("href")) for link in feed.findall(f"{ATOM}link")
    } == {("alternate", f"{SITE}/topics/gout/"), ("self", f"{SITE}/topics/gout/feed/")}
    assert _entries(feed) == [
        {
            "title": "Ana Ruiz, MD answered: Is gout hereditary?",
            "link": f"{SITE}/questions/hereditary/#answer-{answer.pk}",
            "author": "Ana Ruiz, MD",
        },
        {
            "title": "Asked: Does cherry juice help?",
            "link": f"{SITE}{newer.get_absolute_url()}",
            "author": None,  # the feed's author, the site, stands in
        },
        {
            "title": "Asked: Is gout hereditary?",
            "link": f"{SITE}/questions/hereditary/",
            "author": "curious",
        },
    ]


def test_topic_feed_leaves_out_what_readers_cannot_see(client, settings):
    # given: every kind of content a reader does not see, and an anonymous asker
    settings.ASKWELL_SHOW_UNREVIEWED = False
    topic = TopicFactory(slug="gout")
    editor = EditorFactory()
    shown = QuestionFactory(
        title="Shown",
        topics=[topic],
        is_anonymous=True,
        asker=UserFactory(username="secretasker"),
    )
    AnswerFactory(question=shown, body="Published.")
    for state in (Question.Moderation.HELD, Question.Moderation.DELETED):
        QuestionFactory(title=f"Question {state}", topics=[topic], moderation=state)
    hidden_question = QuestionFactory(title="Hidden question", topics=[topic])
    AnswerFactory(question=hidden_question, body="Under a hidden question.")
    hide_content(editor, hidden_question, reason="Spam.")
    AnswerFactory(question=shown, status=Answer.Status.DRAFT)
    AnswerFactory(question=shown, review_state=Answer.Review.PENDING)
    hidden_answer = AnswerFactory(question=shown)
    hide_content(editor, hidden_answer, reason="Spam.")

    # when
    response = client.get("/topics/gout/feed/")
    feed = ET.fromstring(response.content)  # noqa: S314 (our own output)

    # then
    entries = _entries(feed)
    assert [e["title"] for e in entries if e["title"].startswith("Asked")] == [
        "Asked: Shown"
    ]
    assert len([e for e in entries if "answered" in e["title"]]) == 1
    assert b"secretasker" not in response.content
    assert b"Under a hidden question" not in response.content


def test_an_unreviewed_answer_says_so(client):
    topic = TopicFactory(slug="gout")
    AnswerFactory(
        question=QuestionFactory(topics=[topic]),
        body="Rest the joint.",
        review_state=Answer.Review.PENDING,
    )

    feed = _feed(client, "/topics/gout/feed/")

    summaries = [e.findtext(f"{ATOM}summary") for e in feed.findall(f"{ATOM}entry")]
    assert "<p><em>Not yet medically reviewed.</em></p><p>Rest the joint.</p>\n" in (
        summaries
    )


def test_contributor_feed_lists_their_published_answers(client):
    # given
    expert = ContributorFactory(name="Ana Ruiz", slug="ana-ruiz", credentials="MD")
    first = AnswerFactory(contributor=expert, created_at=_ago(20), body="First.")
    second = AnswerFactory(contributor=expert, created_at=_ago(5), body="Second.")
    AnswerFactory(contributor=expert, status=Answer.Status.DRAFT)
    AnswerFactory(contributor=ContributorFactory())

    # when
    feed = _feed(client, "/contributors/ana-ruiz/feed/")

    # then
    assert feed.findtext(f"{ATOM}title") == "Answers from Ana Ruiz, MD on Askwell"
    assert [e["link"] for e in _entries(feed)] == [
        f"{SITE}{second.question.get_absolute_url()}#answer-{second.pk}",
        f"{SITE}{first.question.get_absolute_url()}#answer-{first.pk}",
    ]
    entry = feed.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}summary") == "<p>Second.</p>\n"
    assert entry.findtext(f"{ATOM}author/{ATOM}uri") == f"{SITE}/contributors/ana-ruiz/"
    assert entry.findtext(f"{ATOM}published") == second.created_at.isoformat()


def test_control_characters_do_not_break_the_feed(client):
    # given: a title pasted from a terminal
    topic = TopicFactory(slug="gout")
    QuestionFactory(title="Roses are \x1b[0;31mred\x1b[0m?", topics=[topic])

    # when
    feed = _feed(client, "/topics/gout/feed/")

    # then
    assert _entries(feed)[0]["title"] == "Asked: Roses are [0;31mred[0m?"


@pytest.mark.parametrize("url", ["/topics/nothing/feed/", "/contributors/nobody/feed/"])
def test_unknown_feed_is_404(client, url):
    assert client.get(url).status_code == 404


def test_topic_and_profile_pages_link_their_feeds(client):
    TopicFactory(name="Gout", slug="gout")
    ContributorFactory(name="Ana Ruiz", slug="ana-ruiz", credentials="MD")

    topic_links = links(client.get("/topics/gout/").content.decode(), "alternate")
    profile_links = links(
        client.get("/contributors/ana-ruiz/").content.decode(), "alternate"
    )

    assert topic_links == [
        {
            "rel": "alternate",
            "type": "application/atom+xml",
            "title": "New on Askwell about Gout",
            "href": "/topics/gout/feed/",
        }
    ]
    assert profile_links == [
        {
            "rel": "alternate",
            "type": "application/atom+xml",
            "title": "Answers from Ana Ruiz, MD",
            "href": "/contributors/ana-ruiz/feed/",
        }
    ]


@pytest.mark.parametrize("n", [1, 12])
def test_feeds_take_a_fixed_number_of_queries(client, django_assert_num_queries, n):
    """Topic feed: 1 the topic, 2 its subtopics (one query per level; none
    here), 3 questions with askers, 4 answers with questions and
    contributors. Contributor feed: 1 the contributor, 2 its answers."""
    topic = TopicFactory(slug="gout")
    expert = ContributorFactory(slug="ana-ruiz")
    for _ in range(n):
        question = QuestionFactory(topics=[topic], asker=UserFactory())
        AnswerFactory(question=question, contributor=expert)

    with django_assert_num_queries(4):
        entries = _entries(_feed(client, "/topics/gout/feed/"))
    with django_assert_num_queries(2):
        answers = _entries(_feed(client, "/contributors/ana-ruiz/feed/"))

    assert len(entries) == 2 * n
    assert len(answers) == n
