"""Similar questions over real HTTP, from the demo content the search
engine has indexed: what the ask page offers while a question is typed."""

from __future__ import annotations

import pytest

from askwell.api.tests.helpers import http
from askwell.demo.loader import load_demo_content
from askwell.questions.models import Question

pytestmark = pytest.mark.django_db(transaction=True)

PLASMA = "Can plasmapheresis help treat multiple sclerosis (MS)?"


def test_similar_questions_to_a_text_and_to_a_question(live_server):
    # given
    load_demo_content()
    api = f"{live_server.url}/api/v1"
    question = Question.objects.get(title=PLASMA)

    # when
    status, typed, _ = http(
        "get",
        f"{api}/similar",
        params={"q": "would plasma exchange help my mom with MS?", "limit": 3},
    )
    status_to, near, _ = http("get", f"{api}/questions/{question.pk}/similar")

    # then
    assert (status, status_to) == (200, 200)
    assert typed["results"][0]["question"]["title"] == PLASMA
    assert all(r["question"]["answer_count"] > 0 for r in typed["results"])
    scores = [r["score"] for r in typed["results"]]
    assert scores == sorted(scores, reverse=True)
    assert near["results"]
    assert question.pk not in [r["question"]["id"] for r in near["results"]]
