"""`askwell serve` as an operator runs it: a real gunicorn over HTTP, signals included."""

from __future__ import annotations

import re
import signal
import socket
import sys
import time
from pathlib import Path

import pytest

from askwell.testing.processes import (
    access_lines,
    askwell,
    children,
    free_port,
    get,
    holder_of,
    post,
    production_env,
    running,
    wait_for_http,
)

HASHED_STYLESHEET = re.compile(r'href="(/static/askwell/site\.[0-9a-f]{12}\.css)"')
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


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
    assert "• No job worker is running: mail, search indexing" in result.stdout
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
    # then: a clean exit, and one access line per request, the app's
    # (gunicorn's own access log is off: it would be a second line)
    assert returncode == 0, output
    assert "Handling signal: hup" in output
    assert "Handling signal: term" in output
    assert "Shutting down: Master" in output
    requests = access_lines(output)
    home = [r for r in requests if r["path"] == "/"]
    assert home, output
    assert all(r["method"] == "GET" and r["status"] == 200 for r in home)
    assert all(isinstance(r["duration_ms"], float) and r["request_id"] for r in home)
    assert '"GET / HTTP/1.1"' not in output
    # without query strings: a search is a health question someone typed
    assert [r["status"] for r in requests if r["path"] == "/search/"] == [200]
    assert "private" not in output
    assert not children(server.pid)


def _stall(port: int) -> socket.socket:
    """Half a request: the sync worker that accepts it waits for the rest
    and serves nobody else meanwhile."""
    connection = socket.create_connection(("127.0.0.1", port))
    connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    time.sleep(0.5)  # accepted by then
    return connection


def test_the_sign_in_limit_holds_across_two_workers_and_a_restart(tmp_path: Path):
    """The documented limit, 10 sign-ins per 15 minutes for one account from
    one address, without Redis: counts in the SQLite file, which both
    workers and their replacements share. Guesses name the account by
    username and by email address in turn."""
    # given: askwell serve, 2 workers, the default limits, no Redis
    env = production_env(tmp_path, ASKWELL_RATE_LIMITS="{}")
    assert "REDIS_URL" not in env
    assert askwell("migrate", env=env).returncode == 0
    superuser = askwell(
        "createsuperuser",
        "--noinput",
        "--username=alice",
        "--email=alice@example.org",
        env=env | {"DJANGO_SUPERUSER_PASSWORD": "correct horse battery 42"},
    )
    assert superuser.returncode == 0, superuser.stdout
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "askwell", "serve"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "2"]
    with running(command, env=env) as server:
        wait_for_http(base + "/healthz", server)
        _, headers, page = get(base + "/accounts/login/")
        cookie = re.search(r"csrftoken=([^;]+)", headers["set-cookie"]).group(1)
        form = {"csrfmiddlewaretoken": CSRF_INPUT.search(page.decode()).group(1)}

        def sign_in(attempt: int, password: str = "wrong guess") -> int:  # noqa: S107
            login = "alice" if attempt % 2 else "alice@example.org"
            fields = form | {"login": login, "password": password}
            return post(
                base + "/accounts/login/", fields, {"Cookie": f"csrftoken={cookie}"}
            )[0]

        workers = children(server.pid)
        assert len(workers) == 2

        # when: 5 wrong sign-ins while one worker is held busy, so the other
        # serves them; then 15 more while that one is busy instead
        first_busy = _stall(port)
        statuses = [sign_in(n) for n in range(1, 6)]
        second_busy = _stall(port)
        first_worker = holder_of(first_busy, workers)
        second_worker = holder_of(second_busy, workers)
        first_busy.close()
        time.sleep(0.5)
        statuses += [sign_in(n) for n in range(6, 21)]
        second_busy.close()

        # then: the 11th and every later one is refused, whichever worker
        # counted the ones before
        assert {first_worker, second_worker} == workers
        assert statuses == [200] * 10 + [429] * 10

        # when: both workers are replaced (SIGHUP)
        server.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 60
        while children(server.pid) & workers or len(children(server.pid)) != 2:
            assert time.monotonic() < deadline, "workers not replaced"
            time.sleep(0.2)
        wait_for_http(base + "/healthz", server)

        # then: the new workers know the count; even the right password waits
        assert sign_in(21, password="correct horse battery 42") == 429
