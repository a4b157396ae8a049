"""The buttons the topic and question pages include, and what they cost."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from askwell.notifications.tests.factories import (
    QuestionFollowFactory,
    SavedQuestionFactory,
    TopicFollowFactory,
)
from askwell.questions.tests.factories import QuestionFactory
from askwell.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def question():
    return QuestionFactory(slug="is-ms-inherited", title="Is MS inherited?")


def _notification_queries(client, url: str) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    ours = [q["sql"] for q in queries.captured_queries if '"notifications_' in q["sql"]]
    return response.content.decode(), ours


def test_a_reader_sees_the_question_state_for_one_query(client, reader, question):
    # given
    QuestionFollowFactory(user=reader, question=question)
    client.force_login(reader)
    # when
    html, queries = _notification_queries(client, question.get_absolute_url())
    # then: the follow and save state, and the header's unread count
    assert len(queries) == 2
    assert ">Unfollow question</button>" in html
    assert ">Save for later</button>" in html
    assert 'hx-post="/notifications/questions/is-ms-inherited/save/"' in html


def test_a_saved_question_offers_to_remove_it(client, reader, question):
    # given
    SavedQuestionFactory(user=reader, question=question)
    client.force_login(reader)
    # when
    html, _ = _notification_queries(client, question.get_absolute_url())
    # then
    assert ">Follow question</button>" in html
    assert "Remove from saved" in html


def test_a_visitor_is_invited_to_sign_in_for_no_query(client, question):
    # when
    html, queries = _notification_queries(client, question.get_absolute_url())
    # then
    assert queries == []
    assert "Sign in to follow or save this question</a>" in html
    assert "Follow question</button>" not in html


def test_a_reader_can_follow_a_topic_from_its_page(client, reader):
    # given
    topic = TopicFactory(slug="sleep", name="Sleep")
    client.force_login(reader)
    # when
    html, _ = _notification_queries(client, topic.get_absolute_url())
    # then
    assert 'hx-post="/notifications/topics/sleep/follow/"' in html
    assert ">Follow Sleep</button>" in html
    assert 'name="next" value="/topics/sleep/"' in html


def test_a_followed_topic_offers_to_unfollow(client, reader):
    # given
    topic = TopicFactory(slug="sleep", name="Sleep")
    TopicFollowFactory(user=reader, topic=topic)
    client.force_login(reader)
    # when
    html, _ = _notification_queries(client, topic.get_absolute_url())
    # then
    assert ">Unfollow Sleep</button>" in html


def test_a_visitor_on_a_topic_page_is_invited_to_sign_in(client):
    # given
    topic = TopicFactory(slug="sleep", name="Sleep")
    # when
    html, queries = _notification_queries(client, topic.get_absolute_url())
    # then
    assert queries == []
    assert "Sign in to follow Sleep</a>" in html
