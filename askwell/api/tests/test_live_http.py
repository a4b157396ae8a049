"""The API over real HTTP (a live server): a whole conversation with
tokens, pages walked with cursors, and failures in the one error shape."""

from __future__ import annotations

import pytest

from askwell.accounts.actions import create_api_token
from askwell.accounts.tests.factories import UserFactory
from askwell.api.tests.helpers import http
from askwell.experts.tests.factories import ContributorFactory
from askwell.moderation.models import Flag
from askwell.questions.models import Answer, Endorsement, HelpfulMark, Question
from askwell.questions.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _token(user) -> str:
    return create_api_token(user, name="live")[1]


def test_ask_answer_endorse_mark_and_flag_over_http(live_server):
    # given
    api = f"{live_server.url}/api/v1"
    reader = _token(UserFactory(username="reader"))
    jane = UserFactory(username="drjane")
    ContributorFactory(user=jane, name="Jane Doe", credentials="RN")
    sam = UserFactory(username="drsam")
    ContributorFactory(user=sam, name="Sam Lee", credentials="MD")
    jane_token, sam_token = _token(jane), _token(sam)

    # when
    status, asked, _ = http(
        "post",
        f"{api}/questions",
        token=reader,
        body={"title": "How long does a common cold last?", "anonymous": True},
    )
    question = asked["id"]
    status_answer, answered, _ = http(
        "post",
        f"{api}/questions/{question}/answers",
        token=jane_token,
        body={"body": "Most colds get better within seven to ten days of rest."},
    )
    answer = answered["id"]
    endorse = http(
        "post",
        f"{api}/answers/{answer}/endorsement",
        token=sam_token,
        body={"reason": "Matches what I see in clinic."},
    )
    helpful = http("post", f"{api}/answers/{answer}/helpful", token=reader)
    flagged = http(
        "post",
        f"{api}/flags",
        token=reader,
        body={"kind": "question", "id": question, "reason": "off_topic"},
    )
    _, public, _ = http("get", f"{api}/questions/{question}")

    # then
    assert (status, status_answer) == (201, 201)
    assert asked["asker"] == "reader"  # shown to the asker themselves
    assert endorse[0] == 200
    assert helpful[1]["helpful_count"] == 1
    assert flagged[0] == 201
    assert public["asker"] is None  # but to no one else
    assert public["answer_count"] == 1
    assert public["answers"][0]["endorsements"][0]["contributor"]["name"] == "Sam Lee"
    assert Question.objects.get().is_anonymous
    assert Answer.objects.get().contributor.name == "Jane Doe"
    assert Endorsement.objects.count() == HelpfulMark.objects.count() == 1
    assert Flag.objects.get().question_id == question


def test_cursor_pages_over_http_cover_every_question_once(live_server):
    created = {QuestionFactory().pk for _ in range(12)}

    seen, cursor = [], None
    while True:
        params = {"limit": 5} | ({"cursor": cursor} if cursor else {})
        status, page, _ = http(
            "get", f"{live_server.url}/api/v1/questions", params=params
        )
        assert status == 200
        seen += [q["id"] for q in page["results"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert len(seen) == len(set(seen)) == 12
    assert set(seen) == created


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "code"),
    [
        (
            "post",
            "/questions",
            {"title": "Does rest help a cold?"},
            401,
            "not_authenticated",
        ),
        ("get", "/questions/999999", None, 404, "not_found"),
        ("get", "/no/such/thing", None, 404, "not_found"),
        ("delete", "/questions", None, 405, "method_not_allowed"),
        ("get", "/questions?limit=1000", None, 422, "invalid_request"),
        ("get", "/questions?cursor=%%%", None, 400, "invalid_cursor"),
    ],
)
def test_failures_over_http_have_one_shape(
    live_server, method, path, body, status, code
):
    got, error, headers = http(method, f"{live_server.url}/api/v1{path}", body=body)

    assert got == status
    assert error["error"]["code"] == code
    assert set(error["error"]) == {"code", "message", "details"}
    assert headers["Content-Type"].startswith("application/json")


def test_a_denied_write_over_http_is_403_and_stores_nothing(live_server):
    question = QuestionFactory()
    reader = _token(UserFactory())

    status, error, _ = http(
        "post",
        f"{live_server.url}/api/v1/questions/{question.pk}/answers",
        token=reader,
        body={"body": "I am not an expert but rest helps everyone."},
    )

    assert status == 403
    assert error["error"]["code"] == "permission_denied"
    assert not Answer.objects.exists()
