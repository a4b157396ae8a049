"""Every text field of every API write, read from the OpenAPI document (so
a field added later is covered without a change here): it has a documented
maxLength; one character over it, or a lone surrogate (the JSON escape
"\\ud800", which cannot be stored as UTF-8), is a 422 in the shared error
shape naming the field, and nothing is written. Issue 13 found the lone
surrogate gave a 500 on all six writes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from askwell.lib.limits import first_unencodable, length_message
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db

CONTENT = [
    "questions.Question",
    "questions.Answer",
    "questions.Revision",
    "questions.Endorsement",
    "questions.Reference",
    "moderation.Flag",
]


def _rows() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in CONTENT}


def _text_fields(schema: dict[str, Any]) -> Iterator[tuple[str, int | None, bool]]:
    """(name, maxLength, is a list) of each free-text property of a schema."""
    for name, prop in schema["properties"].items():
        for option in prop.get("anyOf", [prop]):
            if option.get("type") == "string" and "enum" not in option:
                yield name, option.get("maxLength"), False
            items = option.get("items", {})
            if option.get("type") == "array" and items.get("type") == "string":
                yield name, items.get("maxLength"), True


@pytest.fixture
def writes(call) -> list[tuple[str, str, str, int | None, bool]]:
    """(method, path, field, maxLength, is a list) for every text field of
    every operation that takes a JSON body."""
    document = call("get", "/openapi.json").body
    found = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody")
            if body is None:
                continue
            ref = body["content"]["application/json"]["schema"]["$ref"]
            schema = document["components"]["schemas"][ref.rsplit("/", 1)[1]]
            found += [
                (method, path.removeprefix("/api/v1"), *field)
                for field in _text_fields(schema)
            ]
    return found


@pytest.fixture
def send(call, asker, expert, other_expert, token_for):
    """Send `body` to a write as someone allowed to make it."""
    question = QuestionFactory(asker=asker)
    theirs = AnswerFactory(question=question, contributor=other_expert.contributor)
    mine = AnswerFactory(question=question, contributor=expert.contributor)
    token = token_for(expert)

    def request(method: str, path: str, body: dict[str, Any]):
        path = path.replace("{question_id}", str(question.pk))
        answer = theirs if path.endswith("endorsement") else mine
        path = path.replace("{answer_id}", str(answer.pk))
        return call(method, path, token=token, body=body)

    return request


def test_the_six_writes_have_their_text_fields_found(writes):
    assert {(m, p) for m, p, *_ in writes} == {
        ("post", "/questions"),
        ("patch", "/questions/{question_id}"),
        ("post", "/questions/{question_id}/answers"),
        ("patch", "/answers/{answer_id}"),
        ("post", "/answers/{answer_id}/endorsement"),
        ("post", "/flags"),
    }
    assert all(limit is not None for *_, limit, _ in writes), writes


def _sent(value: str, is_list: bool) -> Any:
    return [value] if is_list else value


def test_a_lone_surrogate_in_any_text_field_is_a_422_naming_it(writes, send):
    # given
    before = _rows()
    answers = []

    # when
    for method, path, field, _, is_list in writes:
        response = send(method, path, {field: _sent("Is this \ud800 safe?", is_list)})
        answers.append((method, path, field, is_list, response))

    # then
    for method, path, field, is_list, response in answers:
        where = f"{field}.0" if is_list else field
        assert response.status == 422, (method, path, field, response.body)
        assert response.error_code == "invalid_request"
        assert {
            "where": where,
            "message": "Contains a character that is not valid text (U+D800 at "
            "position 9): lone surrogates cannot be stored.",
            "code": "unencodable",
        } in response.body["error"]["details"], (method, path, field)
    assert _rows() == before


def test_one_character_over_any_text_fields_limit_is_a_422_naming_it(writes, send):
    # given
    before = _rows()

    # when / then
    for method, path, field, limit, is_list in writes:
        response = send(method, path, {field: _sent("x" * (limit + 1), is_list)})
        where = f"{field}.0" if is_list else field
        assert response.status == 422, (method, path, field)
        assert {
            "where": where,
            "message": length_message(limit, limit + 1),
            "code": "max_length",
        } in response.body["error"]["details"], (method, path, field)
    assert _rows() == before


@pytest.mark.parametrize(
    ("path", "limit"),
    [("/search", 500), ("/similar", 10_301)],
    ids=["search", "similar"],
)
def test_a_query_over_its_limit_is_a_422_naming_it(call, path, limit):
    response = call("get", path, params={"q": "x" * (limit + 1)})

    assert response.status == 422
    assert response.body["error"]["details"] == [
        {
            "where": "query.q",
            "message": length_message(limit, limit + 1),
            "code": "max_length",
        }
    ]


def test_text_at_its_limit_is_accepted(call, asker, token_for):
    """The limit itself is allowed: a question with details of exactly
    10,000 characters is posted."""
    response = call(
        "post",
        "/questions",
        token=token_for(asker),
        body={
            "title": "Why does it " + "a" * 287 + "?",
            "details": "My knee hurts. " * 666 + "abcdefghij",
        },
    )

    assert response.status == 201, response.body
    assert len(response.body["details"]) == 10_000


# --- any text at all (hypothesis) ---------------------------------------------------

ANY_CHARACTER = st.characters(
    codec=None, categories=("Lu", "Ll", "Nd", "Po", "Ps", "Pe", "Zs", "Cc", "Cs")
)


def test_no_text_in_any_field_of_any_write_gets_a_server_error(writes, send):
    """Any characters, lone surrogates among them, short or over the
    limit, nested as Markdown: an answer below 500 in the error shape, and
    a surrogate in text within the limit is named as such."""

    @settings(
        max_examples=80,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        target=st.sampled_from(writes),
        text=st.one_of(
            st.text(ANY_CHARACTER, max_size=60),
            st.sampled_from(["[", "![[", "> ", "*a"]).map(lambda u: u * 3_000),
        ),
        over=st.booleans(),
    )
    def exercise(target, text, over):
        method, path, name, limit, is_list = target
        if over:
            text = text + "x" * (limit + 1 - len(text))
        response = send(method, path, {name: [text] if is_list else text})
        assert response.status < 500, (method, path, name, text[:40])
        if response.status >= 400:
            assert set(response.body["error"]) == {"code", "message", "details"}
        if first_unencodable(text) is not None and len(text) <= limit:
            where = f"{name}.0" if is_list else name
            assert (where, "unencodable") in {
                (d["where"], d.get("code")) for d in response.body["error"]["details"]
            }

    exercise()
