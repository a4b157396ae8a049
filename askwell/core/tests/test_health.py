"""/healthz (the process answers, no database) and /readyz (database and
caches reachable, else 503 naming what failed)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from askwell.accounts.tests.factories import UserFactory
from askwell.core.tests.conftest import free_port, redis_caches


@pytest.mark.django_db
def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    # given: even a signed-in visitor's session is not loaded
    client.force_login(UserFactory())

    # when
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    # then
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert "ETag" not in response


@pytest.mark.django_db
@pytest.mark.usefixtures("cache_backend")
def test_readyz_is_ok_when_database_and_caches_answer(client):
    # when
    response = client.get("/readyz")

    # then
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache:default": "ok", "cache:shared": "ok"},
    }
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
@pytest.mark.parametrize("alias", ["default", "shared"])
def test_readyz_answers_503_naming_an_unreachable_cache(client, settings, alias):
    # given: a Redis URL to a port nothing listens on
    broken = redis_caches(f"redis://127.0.0.1:{free_port()}/0")["default"]
    settings.CACHES = {**settings.CACHES, alias: broken}

    # when
    response = client.get("/readyz")

    # then
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"] == {
        "database": "ok",
        "cache:default": "ok" if alias == "shared" else "error: ConnectionError",
        "cache:shared": "ok" if alias == "default" else "error: ConnectionError",
    }


def test_readyz_answers_503_naming_an_unreachable_database():
    """Without the django_db mark pytest-django refuses every query, as a
    database that is down would."""
    # when
    response = Client().get("/readyz")

    # then
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["database"].startswith("error: ")
    assert json.loads(response.content)["checks"]["cache:default"] == "ok"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_are_never_rate_limited(client, settings, path):
    # given: every limit at one request a day
    settings.ASKWELL_RATE_LIMITS = {
        name: {"ip": "1/d", "user": "1/d"} for name in settings.ASKWELL_RATE_LIMITS
    }

    # when
    statuses = {client.get(path).status_code for _ in range(5)}

    # then
    assert statuses == {200}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_only_answer_get_and_head(client, path):
    assert client.head(path).status_code == 200
    assert client.post(path).status_code == 405
