"""Counts stay exact when many people click at once: real HTTP requests, all
released together, each double-clicked.

On PostgreSQL the requests go to the test's live server and run in parallel
in separate connections and transactions. On SQLite they go to a real
server process on a SQLite file (WAL, writers queue on a busy
timeout), as a laptop install runs it: the test suite's in-memory database is
shared through a cache whose table locks fail at once instead of waiting, so
it cannot stand in for the real thing.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.urls import reverse

from askwell.accounts.tests.factories import UserFactory
from askwell.experts.tests.factories import ContributorFactory
from askwell.questions.models import Endorsement, HelpfulMark
from askwell.questions.tests import burst_server
from askwell.questions.tests.factories import AnswerFactory

ON_POSTGRESQL = connection.vendor == "postgresql"

READERS = 12
EXPERTS = 4
CLICKS_EACH = 2


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def _post(url: str, session: str, data: bytes, barrier: threading.Barrier) -> int:
    csrf = _get_new_csrf_string()
    request = urllib.request.Request(  # noqa: S310 - the test's own live server
        url,
        data=data,
        method="POST",
        headers={
            "Cookie": f"sessionid={session}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "Content-Type": "application/x-www-form-urlencoded",
            "HX-Request": "true",
        },
    )
    barrier.wait(timeout=30)
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - local live server
        return response.status


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not ON_POSTGRESQL, reason="the SQLite variant is the test below")
def test_simultaneous_helpful_and_endorse_clicks_give_exact_totals():
    # given
    answer = AnswerFactory()
    readers = [UserFactory() for _ in range(READERS)]
    experts = []
    for _ in range(EXPERTS):
        user = UserFactory()
        ContributorFactory(user=user)
        experts.append(user)
    server, base = burst_server.start()
    helpful_url = base + reverse("questions:helpful", args=[answer.pk])
    endorse_url = base + reverse("questions:endorse", args=[answer.pk])
    jobs = [
        (helpful_url, _session_cookie(u), b"")
        for u in readers
        for _ in range(CLICKS_EACH)
    ]
    jobs += [
        (
            endorse_url,
            _session_cookie(u),
            f"contributor={u.contributor.pk}&kind=endorse&reason=Agree".encode(),
        )
        for u in experts
        for _ in range(CLICKS_EACH)
    ]
    barrier = threading.Barrier(len(jobs))

    # when: every request is released at the same moment
    try:
        with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
            statuses = list(pool.map(lambda job: _post(*job, barrier), jobs))
    finally:
        server.shutdown()
        server.server_close()

    # then: every click succeeded, and each person counts once
    assert set(statuses) <= {200, 302}
    assert HelpfulMark.objects.filter(answer=answer).count() == READERS
    assert Endorsement.objects.filter(answer=answer).count() == EXPERTS
    assert set(HelpfulMark.objects.values_list("user_id", flat=True)) == {
        u.pk for u in readers
    }


# --- SQLite: a real server process on a database file -------------------------------

SETUP = """
import json
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from askwell.experts.models import Contributor
from askwell.questions.models import Answer, Question

User = get_user_model()
author = Contributor.objects.create(name="Author", slug="author", is_verified=True)
question = Question.objects.create(title="What helps gout?", slug="what-helps-gout")
answer = Answer.objects.create(question=question, contributor=author, body="Rest helps.")

def session(user):
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    return store.session_key

readers = [User.objects.create_user(f"reader{i}", password="x" * 12) for i in range(%(readers)d)]
experts = []
for i in range(%(experts)d):
    user = User.objects.create_user(f"expert{i}", password="x" * 12)
    experts.append((user, Contributor.objects.create(
        name=f"Expert {i}", slug=f"expert-{i}", is_verified=True, user=user)))
print(json.dumps({
    "answer": answer.pk,
    "readers": [session(u) for u in readers],
    "experts": [[session(u), c.pk] for u, c in experts],
}))
"""
COUNT = """
import json
from askwell.questions.models import Endorsement, HelpfulMark
from askwell.questions.tests import burst_server
print(json.dumps({
    "helpful": HelpfulMark.objects.count(),
    "helpful_users": HelpfulMark.objects.values("user").distinct().count(),
    "endorsements": Endorsement.objects.count(),
}))
"""


def _askwell(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "askwell", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _json(args: list[str], env: dict[str, str]) -> dict:
    """The JSON a shell script prints on its last line (Django may log before it)."""
    return json.loads(_askwell(args, env).strip().splitlines()[-1])


@pytest.mark.skipif(ON_POSTGRESQL, reason="the PostgreSQL variant is the test above")
def test_simultaneous_clicks_on_a_sqlite_file_give_exact_totals(tmp_path):
    # given: a fresh SQLite file with an answer, readers and experts signed in,
    # served by a separate process
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}
    }
    env.update(
        ASKWELL_DATA_DIR=str(tmp_path), DEBUG="True", ASKWELL_EMBEDDING_MODEL="none"
    )
    _askwell(["migrate", "-v0"], env)
    cast = _json(["shell", "-c", SETUP % {"readers": READERS, "experts": EXPERTS}], env)
    port = _free_port()
    env["DJANGO_SETTINGS_MODULE"] = "askwell.settings"
    server = subprocess.Popen(
        [sys.executable, "-m", "askwell.questions.tests.burst_server", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(base, server)
        helpful = f"{base}/questions/answers/{cast['answer']}/helpful/"
        endorse = f"{base}/questions/answers/{cast['answer']}/endorse/"
        jobs = [
            (helpful, key, b"") for key in cast["readers"] for _ in range(CLICKS_EACH)
        ]
        jobs += [
            (endorse, key, f"contributor={pk}&kind=endorse&reason=Agree".encode())
            for key, pk in cast["experts"]
            for _ in range(CLICKS_EACH)
        ]
        barrier = threading.Barrier(len(jobs))

        # when
        with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
            statuses = list(pool.map(lambda job: _post(*job, barrier), jobs))
    finally:
        server.terminate()
        errors = server.communicate(timeout=20)[1]

    # then
    assert set(statuses) <= {200, 302}, errors[-3000:]
    counts = _json(["shell", "-c", COUNT], env)
    assert counts == {
        "helpful": READERS,
        "helpful_users": READERS,
        "endorsements": EXPERTS,
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(
    base: str, server: subprocess.Popen[str], seconds: float = 60
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server exited early:\n{server.stderr.read()}")
        try:
            urllib.request.urlopen(base + "/questions/", timeout=5).close()  # noqa: S310 - loopback
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"the server did not answer within {seconds} s")
