"""Every route refuses a POST without a CSRF token, and nothing changes.

The routes are collected from the URL configuration, so a form endpoint
added later is covered without touching this file.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.apps import apps
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from askwell.accounts.tests.factories import UserFactory
from askwell.experts.tests.factories import (
    BookFactory,
    ContributorFactory,
    CredentialApplicationFactory,
    VideoFactory,
)
from askwell.notifications.tests.factories import NotificationFactory
from askwell.questions.models import Revision
from askwell.questions.tests.factories import AnswerFactory
from askwell.topics.tests.factories import TopicFactory


def _named_routes(
    patterns: list[URLPattern | URLResolver] | None = None, namespace: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_routes(entry.url_patterns, inner)
        elif entry.name:
            yield f"{namespace}{entry.name}", entry


def _kwarg_names(pattern: URLPattern) -> list[str]:
    return list(pattern.pattern.regex.groupindex)


@pytest.fixture
def objects(db):
    answer = AnswerFactory(body="A first answer about rest and fluids for colds.")
    topic = TopicFactory()
    answer.question.topics.add(topic)
    contributor = ContributorFactory()
    revision = Revision.objects.create(
        question=answer.question, number=1, title=answer.question.title, body="x"
    )
    return {
        "answer": answer,
        "question": answer.question,
        "topic": topic,
        "contributor": contributor,
        "book": BookFactory(),
        "video": VideoFactory(),
        "application": CredentialApplicationFactory(),
        "notification": NotificationFactory(),
        "revision": revision,
    }


def _sample(route: str, kwarg: str, objects: dict) -> str:
    """A value for a path argument, naming a real object where the route
    takes one, so that an unprotected route would have something to change."""
    if kwarg == "slug":
        for word in ("topic", "book", "video"):
            if word in route:
                return objects[word].slug
        if route.startswith("experts:"):
            return objects["contributor"].slug
        return objects["question"].slug
    if kwarg == "pk":
        if "restore" in route:
            return str(objects["revision"].pk)
        if route.startswith("experts:"):
            return str(objects["application"].pk)
        if route.startswith("notifications:"):
            return str(objects["notification"].pk)
        return str(objects["answer"].pk)
    if kwarg.endswith("_id") and kwarg[: -len("_id")] in objects:
        return str(objects[kwarg[: -len("_id")]].pk)
    if kwarg == "app_label":
        return "accounts"
    if kwarg in ("object_id", "content_type_id"):
        return "1"
    return "x"


def _snapshot() -> dict[str, list[dict]]:
    """Every row of every table, to prove a refused request changed nothing."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models()
    }


@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_a_post_without_csrf_token_is_refused_everywhere(objects, who):
    # given
    client = Client(enforce_csrf_checks=True)
    if who == "admin":
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
    before = _snapshot()
    refused, api_routes = [], []

    # when
    for route, pattern in _named_routes():
        url = reverse(
            route,
            kwargs={k: _sample(route, k, objects) for k in _kwarg_names(pattern)},
        )
        response = client.post(url, {"body": "A post that must not be stored."})
        if route.startswith("api:") and response.status_code in (401, 405):
            # django-ninja's operations skip Django's CSRF middleware: a path
            # with no write refuses POST (405), and the API's writes check
            # CSRF themselves for a signed-in session (askwell/api/auth.py).
            # With no session and no token there is nothing to forge: 401.
            assert response.status_code == 405 or who == "anonymous", route
            api_routes.append(route)
        else:
            assert response.status_code == 403, (route, response.status_code)
            assert b"CSRF verification failed" in response.content, route
            refused.append(route)

    # then
    assert _snapshot() == before
    assert mail.outbox == []
    assert {
        "accounts:signup",
        "accounts:login",
        "accounts:password_reset",
        "questions:ask",
        "questions:answer",
        "questions:comment",
        "questions:helpful",
        "questions:endorse",
        "admin:login",
    } <= set(refused)
    assert "api:search" in api_routes
    assert "api:ask_question" in api_routes or who == "admin"
    assert "api:ask_question" in refused or who == "anonymous"
