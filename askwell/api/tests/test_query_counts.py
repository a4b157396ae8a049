"""Every list endpoint costs the same number of queries for 2 rows as for
20: a comment names each query."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from askwell.accounts.tests.factories import UserFactory
from askwell.experts.tests.factories import (
    BookFactory,
    ContributorFactory,
    VideoFactory,
)
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory
from askwell.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


def _questions(n: int) -> None:
    for _ in range(n):
        question = QuestionFactory(
            asker=UserFactory(), topics=[TopicFactory(), TopicFactory()]
        )
        AnswerFactory(question=question)


def _contributors(n: int) -> None:
    for _ in range(n):
        AnswerFactory(contributor=ContributorFactory())


def _books(n: int) -> None:
    for _ in range(n):
        BookFactory().authors.add(ContributorFactory(), ContributorFactory())


def _videos(n: int) -> None:
    for _ in range(n):
        VideoFactory(topics=[TopicFactory()])


def _topics(n: int) -> None:
    for _ in range(n):
        parent = TopicFactory()
        TopicFactory(parent=parent)


def _queries(call, path: str, params: dict) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        response = call("get", path, params=params)
    assert response.status == 200, response.body
    return len(queries), response.body


@pytest.mark.parametrize(
    ("path", "make", "expected", "params"),
    [
        # The page of questions (asker joined, answer count a subquery), then
        # their topics.
        ("/questions", _questions, 2, {"limit": 50}),
        # The questions filtered by topic: + the topic, + one per level of
        # its subtree (descendant_ids; the last level finds nothing).
        ("/questions", _questions, 5, {"limit": 50, "topic": "TOPIC"}),
        # The contributors with their published-answer counts.
        ("/contributors", _contributors, 1, {"limit": 50}),
        # The books, then their authors.
        ("/books", _books, 2, {"limit": 50}),
        # The videos with their presenters, then their topics.
        ("/videos", _videos, 2, {"limit": 50}),
        # Every topic, once, whatever the depth.
        ("/topics", _topics, 1, {"depth": 10}),
    ],
)
def test_list_queries_stay_flat_as_rows_grow(
    call, path: str, make: Callable[[int], None], expected: int, params: dict
):
    # given
    if params.get("topic") == "TOPIC":
        root = TopicFactory()
        params = {**params, "topic": root.pk}
        below = TopicFactory(parent=root)

        def make(n: int) -> None:
            for _ in range(n):
                AnswerFactory(question=QuestionFactory(topics=[below]))

    make(2)
    few, few_body = _queries(call, path, params)
    make(18)

    # when
    many, many_body = _queries(call, path, params)

    # then
    assert few == many == expected
    rows = "topics" if path == "/topics" else "results"
    assert len(many_body[rows]) > len(few_body[rows])


def test_a_question_page_costs_the_same_for_2_or_20_answers(call):
    # given
    question = QuestionFactory(asker=UserFactory(), topics=[TopicFactory()])

    def counted() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = call("get", f"/questions/{question.pk}")
        assert response.status == 200
        return len(queries)

    for _ in range(2):
        AnswerFactory(question=question).references.create(url="https://a.example")
    few = counted()
    for _ in range(18):
        AnswerFactory(question=question).references.create(url="https://a.example")

    # when
    many = counted()

    # then: the question (asker joined), its topics, the answers (counts as
    # subqueries; contributor, book, reviewer joined), their edits by others
    # than the signer, their references, their endorsements.
    assert few == many == 6
