"""GET /api/v1/search over real HTTP (a live server), as clients call it."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from askwell.demo.loader import load_demo_content

pytestmark = pytest.mark.django_db(transaction=True)


def _get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310 - live test server
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_search_returns_ranked_answers_like_the_cli(live_server):
    # given
    load_demo_content()
    query = urllib.parse.urlencode(
        {"q": "would plasma exchange help my MS?", "limit": 3}
    )
    # when
    status, body = _get(f"{live_server.url}/api/v1/search?{query}")
    # then
    assert status == 200
    assert body["query"] == "would plasma exchange help my MS?"
    assert body["close_match"] is True
    assert body["emergency"] is False
    assert set(body) == {"query", "close_match", "emergency", "results"}
    assert len(body["results"]) == 3
    first = body["results"][0]
    assert set(first) == {
        "answer_id",
        "external_id",
        "question_id",
        "question",
        "contributor",
        "score",
    }
    assert first["question"] == "Can plasmapheresis help treat multiple sclerosis (MS)?"
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)


def test_search_says_when_nothing_close_was_found(live_server):
    # given
    load_demo_content()
    # when
    status, body = _get(f"{live_server.url}/api/v1/search?q=tylenol+and+alcohol")
    # then
    assert status == 200
    assert body["results"]
    assert body["close_match"] is False


def test_search_carries_the_emergency_flag(live_server):
    """The same flag the search page shows its notice on."""
    # given
    load_demo_content()
    query = urllib.parse.urlencode({"q": "chest pain and left arm numb"})
    # when
    status, body = _get(f"{live_server.url}/api/v1/search?{query}")
    # then
    assert status == 200
    assert body["emergency"] is True


@pytest.mark.parametrize(
    ("params", "where"),
    [
        ({"q": ""}, "query.q"),
        ({"q": "gout", "limit": "0"}, "query.limit"),
        ({"limit": "5"}, "query.q"),
    ],
)
def test_bad_parameters_get_the_error_shape(live_server, params, where):
    status, body = _get(
        f"{live_server.url}/api/v1/search?{urllib.parse.urlencode(params)}"
    )

    assert status == 422
    assert body["error"]["code"] == "invalid_request"
    assert where in [d["where"] for d in body["error"]["details"]]


def test_openapi_document_lists_search(live_server):
    status, body = _get(f"{live_server.url}/api/v1/openapi.json")

    assert status == 200
    assert body["openapi"].startswith("3.")
    assert "/api/v1/search" in body["paths"]
