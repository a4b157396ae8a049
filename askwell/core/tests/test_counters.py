"""Counts every process shares (askwell/core/counters.py): exact under
concurrent increments, restarted once expired, and pruned."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from askwell.core import counters
from askwell.core.models import Counter

NOW = 1_800_000_000.0


@pytest.mark.django_db
def test_a_count_grows_until_it_expires_then_starts_again():
    # given
    counts = [counters.increment("k", expires=NOW + 60, now=NOW) for _ in range(3)]

    # when
    after = counters.increment("k", expires=NOW + 120, now=NOW + 60)

    # then
    assert counts == [1, 2, 3]
    assert after == 1
    assert Counter.objects.get(key="k").expires_at == NOW + 120


@pytest.mark.django_db
def test_expired_counts_are_deleted_when_a_new_count_starts():
    # given
    counters.increment("old", expires=NOW + 10, now=NOW)
    counters.increment("live", expires=NOW + 100, now=NOW)

    # when
    counters.increment("new", expires=NOW + 100, now=NOW + 10)

    # then
    assert sorted(Counter.objects.values_list("key", flat=True)) == ["live", "new"]


@pytest.mark.django_db
def test_a_key_longer_than_the_column_is_refused():
    with pytest.raises(ValueError, match="too long"):
        counters.increment("k" * 201, expires=NOW + 10, now=NOW)


def test_two_processes_counting_at_once_on_sqlite_lose_no_count(tmp_path):
    """One statement per increment: two processes counting one key 500
    times each, from the same moment on, end at exactly 1,000, and no
    number is handed out twice."""
    # given: a migrated SQLite file
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'counts.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "askwell.settings",
    }
    subprocess.run(
        [sys.executable, "-m", "askwell", "migrate", "core", "--verbosity=0"],
        env=env,
        check=True,
    )
    start = time.time() + 5  # both set up by then
    code = (
        "import time, django; django.setup()\n"
        "from askwell.core.counters import increment\n"
        f"time.sleep(max({start} - time.time(), 0))\n"
        "print(*(increment('race', expires=4e9, now=1e9) for _ in range(500)))\n"
    )

    # when
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [racer.communicate(timeout=120)[0] for racer in racers]

    # then
    seen = sorted(int(n) for output in outputs for n in output.split())
    assert seen == list(range(1, 1001))
