"""The API tests' cast and how they call the API.

- `asker`, `stranger`, `expert`, `other_expert`, `unverified`, `editor`: the
  people every app's tests share (askwell/testing/people.py);

`call(method, path, token=…, body=…)` goes through Django's test client;
the live-server tests use `http(…)` in helpers.py over real HTTP.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from askwell.accounts.actions import create_api_token


@pytest.fixture
def token_for(db) -> Callable[[Any], str]:
    """A fresh personal API token for a user."""

    def make(user: Any) -> str:
        return create_api_token(user, name="tests")[1]

    return make


class Response:
    def __init__(self, status: int, body: Any, headers: Any) -> None:
        self.status = status
        self.body = body
        self.headers = headers

    @property
    def error_code(self) -> str | None:
        return self.body["error"]["code"] if "error" in self.body else None


@pytest.fixture
def call(db) -> Callable[..., Response]:
    """Call the API with the test client: `call("post", "/questions",
    token=t, body={…})`; `client=` for a signed-in session."""
    # One client for the test: each new one loads the middleware again.
    anonymous = Client()

    def request(
        method: str,
        path: str,
        *,
        token: str | None = None,
        body: Any = None,
        params: dict[str, Any] | None = None,
        client: Client | None = None,
        **extra: Any,
    ) -> Response:
        client = client or anonymous
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        url = f"/api/v1{path}"
        if method == "get":
            response = client.get(url, params or {}, **headers, **extra)
        else:
            response = getattr(client, method)(
                url,
                json.dumps(body) if body is not None else "",
                content_type="application/json",
                **headers,
                **extra,
            )
        data = json.loads(response.content) if response.content else None
        return Response(response.status_code, data, response.headers)

    return request
