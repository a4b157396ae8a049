"""Real processes for tests and benchmarks: free ports, HTTP, clean-up on failure.

Used by the operations tests (`askwell serve`, backups, nginx) and by
bench/http_load.py, which starts the same processes to measure them."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from typing import IO

# Variables of the test run that would leak into a production-like process.
TEST_RUN_VARIABLES = {
    "DATABASE_URL",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "ASKWELL_DATA_DIR",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "REDIS_URL",
    # The suite runs jobs at once; a production-like process queues them.
    "ASKWELL_TASKS_BACKEND",
    # Production refuses it (check async.E001).
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


@contextlib.contextmanager
def scratch_database(data_dir: Path) -> Iterator[str]:
    """An empty database of the test run's engine, for real processes: a
    SQLite file in DATA_DIR, or a new database on the test run's PostgreSQL
    server, dropped afterwards. Yields its DATABASE_URL."""
    import secrets

    from django.db import connection

    if connection.vendor == "sqlite":
        yield f"sqlite:///{data_dir / 'askwell.sqlite3'}"
        return
    import psycopg

    settings = connection.settings_dict
    name = f"askwell_scratch_{secrets.token_hex(4)}"
    server = {
        "user": settings["USER"],
        "password": settings["PASSWORD"] or None,
        "host": settings["HOST"],
        "port": settings["PORT"],
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        # template1 has pgvector in test runs, as the README asks of production.
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template1')
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    try:
        yield (
            f"postgres://{settings['USER']}{password}@{settings['HOST']}:"
            f"{settings['PORT']}/{name}"
        )
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a production run on a data directory of its own."""
    env = {k: v for k, v in os.environ.items() if k not in TEST_RUN_VARIABLES}
    env |= {
        "ASKWELL_DATA_DIR": str(data_dir),
        "DEBUG": "False",
        "SECRET_KEY": "operations-test-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Plain HTTP on loopback: cookies must not be Secure-only.
        "ASKWELL_HTTPS": "False",
        # Lexical search only: these tests are about serving, not ranking.
        "ASKWELL_EMBEDDING_MODEL": "none",
    }
    return env | extra


def askwell(
    *args: str, env: dict[str, str], timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run `askwell ARGS` to completion; stdout and stderr together."""
    return subprocess.run(
        [sys.executable, "-m", "askwell", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
        check=False,
    )


class Started:
    """A process started by running(): the Popen, and what it has written so far."""

    def __init__(self, process: subprocess.Popen[str], log: IO[str]) -> None:
        self.process = process
        self.pid = process.pid
        self._log = log

    def output(self) -> str:
        self._log.seek(0)
        return self._log.read()

    def requests(self) -> list[dict[str, object]]:
        """The application's access lines in the output so far."""
        return access_lines(self.output())


def access_lines(output: str) -> list[dict[str, object]]:
    """The application's access lines in a server's output (askwell.access,
    one JSON object per request), in order."""
    found = []
    for line in output.splitlines():
        if not line.startswith("{"):
            continue
        with contextlib.suppress(ValueError):
            record = json.loads(line)
            if record.get("logger") == "askwell.access":
                found.append(record)
    return found


@contextlib.contextmanager
def running(command: list[str], env: dict[str, str] | None = None) -> Iterator[Started]:
    """Start COMMAND in a process group of its own, output to a temporary file
    (a pipe nobody reads would fill up and block it); stop the whole group
    afterwards, also when the test fails."""
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as log:
        process = subprocess.Popen(
            command,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        try:
            yield Started(process, log)
        finally:
            if process.poll() is None:
                process.terminate()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=40)
            # Whatever is left of its group (the workers of a killed master).
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # hand the 3xx back as it came


def get(
    url: str,
    headers: dict[str, str] | None = None,
    context: ssl.SSLContext | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """GET URL as it comes: no redirects followed, nothing decompressed.
    Returns the status, the headers (lower-case names) and the body."""
    opener = urllib.request.build_opener(
        NoRedirects, urllib.request.HTTPSHandler(context=context)
    )
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - loopback only
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, _lower(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, _lower(error.headers), error.read()


def post(
    url: str, fields: dict[str, str], headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """POST a form to URL, as get() does a GET."""
    opener = urllib.request.build_opener(NoRedirects)
    request = urllib.request.Request(  # noqa: S310 - loopback only
        url, data=urllib.parse.urlencode(fields).encode(), headers=headers or {}
    )
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, _lower(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, _lower(error.headers), error.read()


def _lower(headers: Message) -> dict[str, str]:
    """Lower-case names; a header sent more than once is joined with commas."""
    joined: dict[str, str] = {}
    for name, value in headers.items():
        name = name.lower()
        joined[name] = f"{joined[name]}, {value}" if name in joined else value
    return joined


def wait_for_http(url: str, started: Started, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if started.process.poll() is not None:
            raise AssertionError(
                f"{started.process.args} exited early with "
                f"{started.process.returncode}:\n{started.output()}"
            )
        try:
            get(url)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(
        f"nothing answered on {url} within {seconds} s:\n{started.output()}"
    )


def children(pid: int) -> set[int]:
    """The ids of PID's child processes, from /proc."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended while we looked
            continue
        # "pid (command name) state ppid ...": the name may hold spaces and parentheses.
        fields = text[text.rindex(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def holder_of(client: socket.socket, pids: set[int]) -> int | None:
    """Which of PIDS holds the server side of CLIENT's TCP connection (IPv4,
    loopback): its socket's inode in /proc/net/tcp, then the process whose
    file descriptors include that socket."""
    local_ip, local_port = client.getsockname()[:2]
    wanted = f"{_hex_address(local_ip)}:{local_port:04X}"
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        # local address, remote address, …, inode: the server side's remote
        # end is the client.
        if fields[2] == wanted and fields[9] != "0":
            inode = fields[9]
    if inode is None:
        return None
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                if os.readlink(fd) == f"socket:[{inode}]":
                    return pid
    return None


def _hex_address(ip: str) -> str:
    """An IPv4 address as /proc/net/tcp writes it (little-endian hex)."""
    return "".join(f"{int(part):02X}" for part in reversed(ip.split(".")))
