"""`askwell demo` as a newcomer runs it: a fresh data directory, real HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from askwell.testing.processes import children

DEMO_QUESTION = "/questions/can-plasmapheresis-help-treat-multiple-sclerosis-ms/"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _wait_for(url: str, process: subprocess.Popen[str], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"askwell demo exited early:\n{process.stdout.read()}")
        try:
            _get(url)
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"askwell demo did not answer on {url} within {seconds} s")


def test_demo_serves_the_site_from_a_fresh_data_directory(tmp_path: Path):
    # given: nothing but an empty data directory
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DEBUG",
            "DATABASE_URL",
            "STATIC_ROOT",
            "ASKWELL_TASKS_BACKEND",
        }
    }
    env["ASKWELL_DATA_DIR"] = str(tmp_path)
    # when
    process = subprocess.Popen(
        [sys.executable, "-m", "askwell", "demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(base + "/", process)
        home_status, home = _get(base + "/")
        question_status, question = _get(base + DEMO_QUESTION)
        css_status, css = _get(base + "/static/askwell/site.css")
        missing_status, missing = _get(base + "/no-such-page/")
        workers = _job_workers(process.pid)
    finally:
        process.terminate()
        output = process.communicate(timeout=40)[0]
    # then
    assert home_status == 200, output
    assert "Health questions, answered by many experts" in home
    assert question_status == 200
    assert "More about this book" in question
    assert "Experts differ" in question
    assert css_status == 200
    assert ":root" in css
    assert missing_status == 404
    assert "We couldn’t find that page" in missing
    assert "password 'askwell-demo-admin'" in output
    assert (tmp_path / "askwell.sqlite3").exists()
    # The data directory's .env, read by every askwell command: its key,
    # and its own address for the links in mail.
    local_env = (tmp_path / ".env").read_text()
    assert "\nSECRET_KEY=" in local_env
    assert f"\nASKWELL_SITE_URL=http://127.0.0.1:{port}\n" in local_env
    # A job worker ran beside the server, and stopped with it.
    assert len(workers) == 1, output
    assert "• Background jobs: a worker runs beside the server" in output
    assert not Path(f"/proc/{workers[0]}").exists()


def _job_workers(pid: int) -> list[int]:
    """The `askwell worker` processes among PID's children."""
    return [
        child
        for child in children(pid)
        if Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")[-3:-1]
        == [b"askwell", b"worker"]
    ]
