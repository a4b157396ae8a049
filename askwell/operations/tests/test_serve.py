"""`askwell serve` as an operator runs it: a real gunicorn over HTTP, signals included."""

from __future__ import annotations

import re
import signal
import sys
import time
from pathlib import Path

import pytest

from askwell.operations.tests.processes import (
    askwell,
    children,
    free_port,
    get,
    production_env,
    running,
    wait_for_http,
)

HASHED_STYLESHEET = re.compile(r'href="(/static/askwell/site\.[0-9a-f]{12}\.css)"')


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"DEBUG": "True"}, "DEBUG is on. `askwell serve` is the production server"),
        ({"SECRET_KEY": ""}, "SECRET_KEY is required when DEBUG is off"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS is required when DEBUG is off"),
        ({"ASKWELL_WORKERS": "many"}, "ASKWELL_WORKERS must be a whole number"),
        (
            {"ASKWELL_SESSIONS": "cached_db"},
            "ASKWELL_SESSIONS=cached_db needs REDIS_URL",
        ),
    ],
)
def test_serve_refuses_an_unsafe_configuration(tmp_path: Path, variables, message):
    # when
    result = askwell("serve", env=production_env(tmp_path, **variables))
    # then: a clear message, no traceback, nothing served
    assert result.returncode != 0
    assert message in result.stdout
    assert "Traceback" not in result.stdout
    assert "Starting gunicorn" not in result.stdout


def test_serve_refuses_a_database_with_migrations_to_apply(tmp_path: Path):
    # given: a fresh data directory, never migrated
    # when
    result = askwell("serve", env=production_env(tmp_path))
    # then
    assert result.returncode == 1
    assert "migrations are not applied to the database yet" in result.stdout
    assert "askwell serve --migrate" in result.stdout


def test_serve_check_prepares_everything_and_names_the_gunicorn_command(tmp_path: Path):
    # when
    result = askwell(
        "serve",
        "--check",
        "--migrate",
        "--workers",
        "3",
        "--bind",
        "127.0.0.1:9",
        env=production_env(tmp_path),
    )
    # then
    assert result.returncode == 0, result.stdout
    assert "Applying" in result.stdout
    manifest = tmp_path / "static" / "staticfiles.json"
    assert manifest.exists()
    assert "askwell/site.css" in manifest.read_text()
    assert (
        f"{sys.executable} -m gunicorn --config python:askwell.operations.gunicorn_conf "
        "--bind 127.0.0.1:9 --workers 3"
    ) in result.stdout


def test_serve_answers_reloads_on_hup_and_stops_on_term(tmp_path: Path):
    # given
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "askwell", "serve", "--migrate"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "2"]
    with running(command, env=production_env(tmp_path)) as server:
        wait_for_http(base + "/", server)
        # then: pages, and static files with far-future headers under hashed names
        status, _, home = get(base + "/")
        assert status == 200
        stylesheet = HASHED_STYLESHEET.search(home.decode())
        assert stylesheet, "the page links the stylesheet under its hashed name"
        status, headers, css = get(base + stylesheet.group(1))
        assert status == 200
        assert ":root" in css.decode()
        assert headers["cache-control"] == "max-age=315360000, public, immutable"
        status, headers, _ = get(base + "/static/askwell/site.css")
        assert status == 200
        assert headers["cache-control"] == "max-age=60, public"

        status, _, _ = get(base + "/search/?q=my+private+question")
        assert status == 200

        # when: SIGHUP
        workers = children(server.pid)
        assert len(workers) == 2
        server.process.send_signal(signal.SIGHUP)
        # then: new workers replace the old ones, and every request meanwhile is answered
        statuses = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            statuses.append(get(base + "/")[0])
            now = children(server.pid)
            if len(now) == 2 and not now & workers:
                break
            time.sleep(0.1)
        else:
            raise AssertionError(f"workers not replaced: {workers} → {now}")
        assert set(statuses) == {200}
        assert get(base + "/")[0] == 200

        # when: SIGTERM
        server.process.send_signal(signal.SIGTERM)
        returncode = server.process.wait(timeout=40)
        output = server.output()
    # then: a clean exit, and the access log on stdout
    assert returncode == 0, output
    assert "Handling signal: hup" in output
    assert "Handling signal: term" in output
    assert "Shutting down: Master" in output
    assert re.search(r'"GET / HTTP/1\.1" 200 \d+ \d+ms', output), output
    # without query strings: a search is a health question someone typed
    assert '"GET /search/ HTTP/1.1" 200' in output
    assert "private" not in output
    assert not children(server.pid)
