"""A throwaway Redis for the cache and rate-limit tests, and a fixture that
runs a test once on the local-memory cache and once on Redis."""

from __future__ import annotations

import io
import json
import logging
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

REDIS_SERVER = "/usr/bin/redis-server"
REDIS_CLI = "/usr/bin/redis-cli"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """unix://… of a Redis started for this test process, stopped at its end.
    Missing redis-server fails the run: `python3 dev.py test` installs it.

    It listens on a socket in its own folder, not on a TCP port: the test
    workers of both databases start one each at the same time, and a port
    found free by two of them would let the second one's pings reach the
    first one's server, so that both workers shared one cache."""
    if not Path(REDIS_SERVER).exists() or shutil.which(REDIS_CLI) is None:
        pytest.fail(
            f"{REDIS_SERVER} is missing: install Debian's redis-server "
            "(`python3 dev.py test` does)."
        )
    folder = tmp_path_factory.mktemp("redis")
    socket_path = folder / "redis.sock"
    subprocess.run(
        [
            REDIS_SERVER,
            "--port",
            "0",
            "--unixsocket",
            str(socket_path),
            "--unixsocketperm",
            "700",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "yes",
            "--dir",
            str(folder),
            "--pidfile",
            str(folder / "redis.pid"),
            "--logfile",
            str(folder / "redis.log"),
        ],
        check=True,
    )
    ping = [REDIS_CLI, "-s", str(socket_path), "ping"]
    deadline = time.monotonic() + 10
    while subprocess.run(ping, capture_output=True, text=True).stdout.strip() != "PONG":
        if time.monotonic() > deadline:
            pytest.fail(
                f"redis-server did not start: {(folder / 'redis.log').read_text()}"
            )
        time.sleep(0.05)
    yield f"unix://{socket_path}?db=0"
    subprocess.run(
        [REDIS_CLI, "-s", str(socket_path), "shutdown", "nosave"],
        capture_output=True,
        check=False,
    )


def redis_caches(url: str) -> dict[str, dict[str, object]]:
    """CACHES as settings.py builds it when REDIS_URL is set."""
    backend = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "askwell",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 3},
    }
    return {"default": backend, "shared": backend}


@pytest.fixture(params=["locmem", "redis"])
def cache_backend(request, settings):
    """Run the test on the default caches, then again on Redis."""
    if request.param == "redis":
        settings.CACHES = redis_caches(request.getfixturevalue("redis_url"))
    from django.core.cache import caches

    caches["default"].clear()
    yield request.param
    caches["default"].clear()


@pytest.fixture
def log_lines():
    """What the configured console handler writes (JSON, as DEBUG is off),
    one parsed object per line."""
    (handler,) = [h for h in logging.getLogger().handlers if h.name == "console"]
    buffer = io.StringIO()
    previous = handler.setStream(buffer)

    def lines() -> list[dict[str, object]]:
        return [json.loads(line) for line in buffer.getvalue().splitlines()]

    yield lines
    handler.setStream(previous)
