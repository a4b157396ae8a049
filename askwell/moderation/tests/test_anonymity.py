"""An anonymous asker's name never appears where others can read it: the
question page, its history, notifications to others, search results, the
API, another person's data export and `askwell export`."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from askwell.accounts.tests.factories import PASSWORD, UserFactory
from askwell.notifications.models import Notification, QuestionFollow, TopicFollow
from askwell.questions import actions
from askwell.search.indexing import index_answers
from askwell.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

NAMES = ("zephyrine", "Zephyrine", "Quasar")
TITLE = "Is tingling in both feet after chemotherapy a sign of nerve damage?"


def _assert_anonymous(text: str) -> None:
    for name in NAMES:
        assert name not in text


@pytest.fixture
def anonymous_question(expert, django_capture_on_commit_callbacks):
    """Asked anonymously, answered, with a comment by the asker; a follower
    of the topic and of the question hears about each step."""
    asker = UserFactory(
        username="zephyrine", first_name="Zephyrine", last_name="Quasar"
    )
    follower = UserFactory(username="follower")
    topic = TopicFactory(name="Neuropathy")
    TopicFollow.objects.create(user=follower, topic=topic)
    with django_capture_on_commit_callbacks(execute=True):
        question = actions.ask_question(
            asker,
            title=TITLE,
            details="It started last month.",
            topics=[topic],
            anonymous=True,
        )
        QuestionFollow.objects.create(user=follower, question=question)
        answer = actions.post_answer(
            expert,
            question,
            contributor=expert.contributor,
            body="Tingling after chemotherapy is often peripheral neuropathy from the drugs.",
        )
        actions.post_comment(asker, answer, body="Does it usually get better?")
    index_answers([answer.pk])
    return question


def _pages_hide_the_asker(client, url):
    for who in (None, "follower"):
        if who:
            client.login(username=who, password=PASSWORD)
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert TITLE in html
        _assert_anonymous(html)


def test_the_question_page_hides_the_asker(client, anonymous_question):
    _pages_hide_the_asker(client, anonymous_question.get_absolute_url())


def test_the_history_page_hides_the_asker(client, anonymous_question):
    _pages_hide_the_asker(client, f"{anonymous_question.get_absolute_url()}history/")


def test_notifications_to_others_do_not_name_the_asker(anonymous_question):
    texts = list(
        Notification.objects.exclude(recipient__username="zephyrine").values_list(
            "text", flat=True
        )
    )

    # The follower hears of all three; the expert of the comment on their answer.
    assert sorted(texts) == sorted(
        [
            f"New question in Neuropathy: “{TITLE}”",
            f"Jane Doe, RN answered “{TITLE}”",
            f"The asker commented on an answer to “{TITLE}”",
            f"The asker commented on an answer to “{TITLE}”",
        ]
    )
    for text in texts:
        _assert_anonymous(text)


def test_search_results_do_not_name_the_asker(client, anonymous_question):
    response = client.get("/search/", {"q": "tingling feet chemotherapy nerve damage"})

    html = response.content.decode()
    assert anonymous_question.get_absolute_url() in html
    _assert_anonymous(html)


def test_the_api_search_does_not_name_the_asker(client, anonymous_question):
    response = client.get("/api/v1/search", {"q": "tingling feet chemotherapy"})

    assert response.status_code == 200
    body = response.content.decode()
    assert TITLE in body
    _assert_anonymous(body)


def test_another_persons_export_does_not_name_the_asker(client, anonymous_question):
    client.login(username="follower", password=PASSWORD)

    data = json.loads(client.post("/moderation/me/export/").content)

    assert [q["question"] for q in data["followed_questions"]] == [TITLE]
    assert len(data["notifications"]) == 3
    _assert_anonymous(json.dumps(data, ensure_ascii=False))


def test_askwell_export_does_not_name_the_asker(anonymous_question, tmp_path):
    path = tmp_path / "export.jsonl"

    call_command("export", str(path), stdout=open(tmp_path / "log", "w"))  # noqa: SIM115

    text = path.read_text(encoding="utf-8")
    assert TITLE in text
    _assert_anonymous(text)
