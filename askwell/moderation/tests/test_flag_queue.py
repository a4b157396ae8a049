"""The editors' flag queue at /moderation/flags/."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from askwell.accounts.tests.factories import PASSWORD, UserFactory
from askwell.moderation.models import Flag
from askwell.moderation.tests.factories import CommentFactory, FlagFactory
from askwell.questions.tests.factories import AnswerFactory

pytestmark = pytest.mark.django_db
URL = "/moderation/flags/"


def _flags(response):
    return list(response.context["page"].object_list)


def test_the_queue_lists_open_flags_oldest_first(client, editor, question, answer):
    # given
    now = timezone.now()
    newer = FlagFactory(question=question, created_at=now)
    older = FlagFactory(
        question=None, answer=answer, created_at=now - timedelta(days=1)
    )
    FlagFactory(question=question, status=Flag.Status.DISMISSED)
    client.login(username="editor", password=PASSWORD)

    # when
    response = client.get(URL)

    # then
    assert response.status_code == 200
    assert _flags(response) == [older, newer]
    html = response.content.decode()
    assert f'href="/questions/answers/{answer.pk}/edit/"' in html
    assert f'href="/questions/{question.slug}/edit/"' in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"reason": "harmful"}, ["harmful answer"]),
        ({"kind": "comment"}, ["spam comment"]),
        ({"kind": "question", "reason": "spam"}, ["spam question"]),
        (
            {"reason": "not-a-reason"},
            ["spam question", "harmful answer", "spam comment"],
        ),
    ],
)
def test_the_queue_filters_by_reason_and_kind(
    client, editor, question, answer, comment, params, expected
):
    # given
    named = {
        FlagFactory(question=question).pk: "spam question",
        FlagFactory(
            question=None, answer=answer, reason="harmful"
        ).pk: "harmful answer",
        FlagFactory(question=None, comment=comment).pk: "spam comment",
    }
    client.login(username="editor", password=PASSWORD)

    # when
    response = client.get(URL, params)

    # then
    assert [named[f.pk] for f in _flags(response)] == expected


@pytest.mark.parametrize("n", [3, 12])
def test_the_queue_query_count_is_flat(client, editor, django_assert_num_queries, n):
    """1 the session, 2 the editor, 3 their Editors group, 4 the flag count,
    5 and 6 the editor's permissions and their groups' (the header's editor
    menu: may they review?), 7 the contributors they sign as (the header's
    expert links), 8 the header's unread notifications, 9 the page of flags
    with their reporters and every kind of target."""
    # given
    for _ in range(n):
        answer = AnswerFactory()
        FlagFactory(question=answer.question)
        FlagFactory(question=None, answer=answer)
        FlagFactory(question=None, comment=CommentFactory(answer=answer))
    client.login(username="editor", password=PASSWORD)

    # when
    with django_assert_num_queries(9):
        response = client.get(URL)

    # then
    assert len(_flags(response)) == min(3 * n, 25)


@pytest.mark.parametrize("url", [URL, "/moderation/removed/", "/moderation/held/"])
def test_readers_cannot_open_the_queues(client, url):
    UserFactory(username="someone")
    assert client.get(url).status_code == 302  # to sign in
    client.login(username="someone", password=PASSWORD)
    assert client.get(url).status_code == 403
