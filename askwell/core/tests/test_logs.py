"""Structured logs: one JSON access line per request, a request id on the
response and on every record written while the request runs."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys

import pytest
from django.test import Client

from askwell.accounts.tests.factories import UserFactory
from askwell.core.tests.conftest import free_port, redis_caches

NEW_ID = re.compile(r"^[0-9a-f]{32}$")


def _access(lines: list[dict[str, object]]) -> list[dict[str, object]]:
    return [line for line in lines if line["logger"] == "askwell.access"]


@pytest.mark.django_db
def test_one_json_access_line_per_request(client, log_lines):
    # when
    response = client.get("/search/", {"q": "my private symptom"})

    # then
    (line,) = _access(log_lines())
    assert line["message"].startswith("GET /search/ 200 ")
    assert line["level"] == "INFO"
    assert line["method"] == "GET"
    assert line["path"] == "/search/"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float)
    assert line["duration_ms"] > 0
    assert line["user"] == "anonymous"
    assert NEW_ID.match(line["request_id"])
    assert line["request_id"] == response["X-Request-ID"]
    assert re.match(r"^\d{4}-\d\d-\d\dT", line["time"])


@pytest.mark.django_db
def test_the_query_string_is_not_logged(client, log_lines):
    # when
    client.get("/search/", {"q": "my private symptom"})

    # then
    assert "private" not in json.dumps(log_lines())


@pytest.mark.django_db
def test_a_signed_in_visitor_is_logged_by_account_id(client, log_lines):
    # given
    user = UserFactory()
    client.force_login(user)

    # when
    client.get("/")

    # then
    (line,) = _access(log_lines())
    assert line["user"] == user.pk


@pytest.mark.django_db
def test_a_probe_does_not_look_the_visitor_up(client, log_lines):
    # given
    client.force_login(UserFactory())

    # when
    client.get("/healthz")

    # then
    (line,) = _access(log_lines())
    assert line["user"] is None
    assert line["status"] == 200


@pytest.mark.django_db
def test_a_sane_incoming_request_id_is_kept(client, log_lines):
    # given
    incoming = "2f1c9a7e-5b7d-4c1e-9a51-0d6b1a3f9e42"

    # when
    response = client.get("/healthz", HTTP_X_REQUEST_ID=incoming)

    # then
    assert response["X-Request-ID"] == incoming
    assert _access(log_lines())[0]["request_id"] == incoming


@pytest.mark.django_db
@pytest.mark.parametrize(
    "incoming",
    ["short", "has a space in it", "line\nbreak-forged", "x" * 200, '"quoted-id"'],
)
def test_an_odd_incoming_request_id_is_replaced(client, log_lines, incoming):
    # when
    response = client.get("/healthz", HTTP_X_REQUEST_ID=incoming)

    # then
    assert NEW_ID.match(response["X-Request-ID"])
    assert _access(log_lines())[0]["request_id"] == response["X-Request-ID"]


@pytest.mark.django_db
def test_every_record_of_a_request_carries_its_id(client, settings, log_lines):
    # given: a cache that does not answer, so /readyz logs why, and a 404,
    # which Django logs once the middleware is done
    broken = redis_caches(f"redis://127.0.0.1:{free_port()}/0")["default"]
    settings.CACHES = {**settings.CACHES, "default": broken}

    # when
    ready = client.get("/readyz")
    missing = client.get("/no-such-page/")

    # then
    by_request: dict[str, set[str]] = {}
    for line in log_lines():
        by_request.setdefault(str(line["request_id"]), set()).add(str(line["logger"]))
    assert by_request[ready["X-Request-ID"]] == {
        "askwell.core.health",  # in the view
        "django.request",  # "Service Unavailable", after the middleware
        "askwell.access",
    }
    assert by_request[missing["X-Request-ID"]] == {"django.request", "askwell.access"}


def test_records_outside_a_request_have_no_id(log_lines):
    # when
    logging.getLogger("askwell").warning("Started.")

    # then
    assert log_lines() == [
        {
            "level": "WARNING",
            "logger": "askwell",
            "message": "Started.",
            "request_id": None,
            "time": log_lines()[0]["time"],
        }
    ]


def test_each_request_gets_its_own_id(db):
    # when
    ids = {Client().get("/healthz")["X-Request-ID"] for _ in range(5)}

    # then
    assert len(ids) == 5


def _logging_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = (
        "import json, askwell.settings as s; print(json.dumps("
        "[s.ASKWELL_LOG_FORMAT, s.LOGGING['handlers']['console']['formatter']]))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={
            **{k: v for k, v in os.environ.items() if k != "ASKWELL_LOG_FORMAT"},
            **env,
        },
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DEBUG": "False"}, ["json", "json"]),
        ({"DEBUG": "True"}, ["text", "text"]),
        ({"DEBUG": "True", "ASKWELL_LOG_FORMAT": "json"}, ["json", "json"]),
        ({"DEBUG": "False", "ASKWELL_LOG_FORMAT": "text"}, ["text", "text"]),
    ],
)
def test_json_logs_by_default_in_production_readable_in_debug(env, expected):
    # when
    result = _logging_settings(env)

    # then
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == expected


def test_an_unknown_log_format_is_refused():
    # when
    result = _logging_settings({"ASKWELL_LOG_FORMAT": "xml"})

    # then
    assert result.returncode == 1
    assert "ASKWELL_LOG_FORMAT must be json or text, not 'xml'" in result.stderr
