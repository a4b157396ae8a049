"""Pages answer GET, HEAD and POST; OPTIONS, TRACE and the rest get 405
before any view runs. The JSON API answers every method a path lacks with
405 in its error shape."""

from __future__ import annotations

import pytest

from askwell.accounts.tests.factories import UserFactory
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db

METHODS = ["OPTIONS", "TRACE", "PUT", "PATCH", "DELETE", "PROPFIND"]


@pytest.fixture
def question():
    question = QuestionFactory(title="How long does a cold last?")
    AnswerFactory(question=question)
    return question


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_pages_refuse_other_methods_with_405(client, question, method, signed_in):
    # given
    if signed_in:
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
    pages = [
        "/",
        question.get_absolute_url(),
        "/questions/",
        "/search/?q=cold",
        "/accounts/login/",
        "/accounts/settings/",
        "/admin/",
        "/healthz",
    ]

    # when
    responses = {page: client.generic(method, page) for page in pages}

    # then
    for page, response in responses.items():
        assert response.status_code == 405, page
        assert response["Allow"] == "GET, HEAD, POST", page
        assert response.content == f"{method} is not allowed here.\n".encode(), page


@pytest.mark.parametrize("method", ["OPTIONS", "TRACE"])
def test_the_api_answers_other_methods_with_405_in_its_error_shape(client, method):
    # when
    response = client.generic(method, "/api/v1/questions")

    # then: the methods come in no fixed order
    assert response.status_code == 405
    assert sorted(response["Allow"].split(", ")) == ["GET", "POST"]
    error = response.json()["error"]
    assert error["code"] == "method_not_allowed"
    assert error["message"].startswith(f"{method} is not allowed here; use ")
    assert sorted(error["details"]["allowed"]) == ["GET", "POST"]


@pytest.mark.parametrize("method", ["OPTIONS", "TRACE"])
def test_an_unknown_api_path_is_404_whatever_the_method(client, method):
    response = client.generic(method, "/api/v1/no-such-thing")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
