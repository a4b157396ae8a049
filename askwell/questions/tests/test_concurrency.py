"""Counts stay exact when many people click at once: real HTTP requests to a
live server, all released together, each double-clicked.

PostgreSQL only (CI runs the suite on both databases): there the requests
really run in parallel, in separate connections and transactions. SQLite's
in-memory test database is shared through a cache with table-level locks that
fail at once ("database table is locked") instead of waiting as a real
SQLite file does, so it cannot stand in for the real thing here.
"""

from __future__ import annotations

import threading
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
from askwell.questions.tests.factories import AnswerFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent writes need a server database (CI runs this on PostgreSQL)",
    ),
]

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


def test_simultaneous_helpful_and_endorse_clicks_give_exact_totals(live_server):
    # given
    answer = AnswerFactory()
    readers = [UserFactory() for _ in range(READERS)]
    experts = []
    for _ in range(EXPERTS):
        user = UserFactory()
        ContributorFactory(user=user)
        experts.append(user)
    helpful_url = live_server.url + reverse("questions:helpful", args=[answer.pk])
    endorse_url = live_server.url + reverse("questions:endorse", args=[answer.pk])
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
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        statuses = list(pool.map(lambda job: _post(*job, barrier), jobs))

    # then: every click succeeded, and each person counts once
    assert set(statuses) <= {200, 302}
    assert HelpfulMark.objects.filter(answer=answer).count() == READERS
    assert Endorsement.objects.filter(answer=answer).count() == EXPERTS
    assert set(HelpfulMark.objects.values_list("user_id", flat=True)) == {
        u.pk for u in readers
    }
