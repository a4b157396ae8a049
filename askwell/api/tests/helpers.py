"""Calling the API over real HTTP, as clients do (live-server tests)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any


def http(
    method: str,
    url: str,
    *,
    token: str | None = None,
    body: Any = None,
    params: dict[str, Any] | None = None,
) -> tuple[int, Any, dict[str, str]]:
    """(status, parsed JSON body or None, headers)."""
    if params:
        url = f"{url}?{urllib.parse.urlencode(params)}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method.upper())  # noqa: S310 - live test server
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            raw, status, headers = response.read(), response.status, response.headers
    except urllib.error.HTTPError as error:
        raw, status, headers = error.read(), error.code, error.headers
    return status, json.loads(raw) if raw else None, dict(headers)
