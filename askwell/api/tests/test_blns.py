"""Every string of the Big List of Naughty Strings, sent into each write
endpoint's text fields and as a cursor, gets an answer below 500, in the
error shape when refused. Beyond the list: lone surrogates (JSON escapes
that are not text), text over every field's limit, and deeply nested
Markdown."""

from __future__ import annotations

import pytest

from askwell.questions.tests.factories import AnswerFactory, QuestionFactory
from askwell.testing.datasets import naughty_strings

pytestmark = pytest.mark.django_db

# A lone surrogate each way round, a valid pair (an emoji once decoded),
# more than any field takes, and Markdown nested as deep as an answer allows.
BEYOND_THE_LIST = [
    "\ud800",
    "Is \udfff safe?",
    "\ude00\ud83d",
    "\ud83d\ude00 is fine",
    "x" * 30_001,
    "[" * 30_000,
    "![[" * 10_000,
    "> " * 15_000,
    "*a" * 15_000,
    "".join("  " * i + "- a\n" for i in range(170)),
]


@pytest.fixture(scope="module")
def naughty() -> list[str]:
    strings = naughty_strings()
    assert len(strings) > 500
    return strings + BEYOND_THE_LIST


# The strings are shared out over PARTS tests, so that the test workers can
# run them side by side (one test of all of them took 3-4 minutes).
PARTS = 4


@pytest.mark.parametrize("part", range(PARTS))
def test_naughty_strings_never_break_the_writes(
    call, naughty, asker, expert, other_expert, token_for, part
):
    # given
    question = QuestionFactory(asker=asker)
    mine = AnswerFactory(question=question, contributor=expert.contributor)
    theirs = AnswerFactory(question=question, contributor=other_expert.contributor)
    asker_token, expert_token = token_for(asker), token_for(expert)
    statuses: dict[int, int] = {}

    def send(method: str, path: str, token: str, body: dict) -> None:
        response = call(method, path, token=token, body=body)
        statuses[response.status] = statuses.get(response.status, 0) + 1
        assert response.status < 500, (path, body)
        if response.status >= 400:
            assert set(response.body["error"]) == {"code", "message", "details"}

    # when
    for text in naughty[part::PARTS]:
        send("post", "/questions", asker_token, {"title": text, "details": text})
        send(
            "patch",
            f"/questions/{question.pk}",
            asker_token,
            {"title": f"{text}?", "details": text, "reason": text},
        )
        send(
            "patch",
            f"/answers/{mine.pk}",
            expert_token,
            {"body": text, "references": [text], "reason": text},
        )
        send(
            "post",
            f"/answers/{theirs.pk}/endorsement",
            expert_token,
            {"reason": text},
        )
        send(
            "post",
            "/flags",
            asker_token,
            {"kind": "answer", "id": theirs.pk, "reason": "other", "text": text},
        )
        if text not in BEYOND_THE_LIST:  # a query string carries no surrogates
            response = call("get", "/questions", params={"cursor": text})
            assert response.status in (200, 400), text

    # then: both accepted and refused writes were exercised
    assert statuses.get(200, 0) + statuses.get(201, 0) > 0
    assert statuses.get(422, 0) > 0
