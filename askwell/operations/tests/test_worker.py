"""`askwell worker` as an operator runs it: real processes on a database of
the test run's engine (a SQLite file, or PostgreSQL under `dev.py test`),
killed with SIGKILL mid-job: no Python clean-up, the job left marked running.
"""

from __future__ import annotations

import json
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from askwell.testing.processes import (
    Started,
    askwell,
    production_env,
    running,
    scratch_database,
)

WORKER = [sys.executable, "-m", "askwell", "worker", "--interval", "0.2"]


@pytest.fixture
def site(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of a migrated site whose jobs wait in its database."""
    with scratch_database(tmp_path) as url:
        env = production_env(tmp_path, DATABASE_URL=url)
        result = askwell("migrate", env=env)
        assert result.returncode == 0, result.stdout
        yield env


def _shell(env: dict[str, str], code: str) -> str:
    result = askwell("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stdout
    return result.stdout


def _enqueue(env: dict[str, str], *calls: tuple[str, tuple[object, ...]]) -> None:
    """Queue jobs of operations/tests/tasks.py: (function name, arguments)..."""
    _shell(
        env,
        "from askwell.operations.tests import tasks\n"
        + "".join(f"tasks.{job}.enqueue(*{args!r})\n" for job, args in calls),
    )


def _jobs(env: dict[str, str]) -> list[tuple[str, str, int]]:
    """(job function, status, attempts) of every job, oldest first."""
    output = _shell(
        env,
        "import json\n"
        "from django_tasks_db.models import DBTaskResult\n"
        "print(json.dumps([(j.task_path.rsplit('.', 1)[1], j.status, "
        "len(j.worker_ids)) for j in DBTaskResult.objects.order_by('enqueued_at')]))",
    )
    return [tuple(row) for row in json.loads(output.strip().splitlines()[-1])]


def _wait_for(path: Path, worker: Started, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if worker.process.poll() is not None:
            raise AssertionError(f"the worker exited:\n{worker.output()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} did not appear:\n{worker.output()}")
        time.sleep(0.1)


def _wait_until_done(env: dict[str, str], worker: Started, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while True:
        jobs = _jobs(env)
        if not any(status in ("READY", "RUNNING") for _, status, _ in jobs):
            return jobs
        if time.monotonic() > deadline:
            raise AssertionError(f"jobs left: {jobs}\n{worker.output()}")
        time.sleep(0.5)


def test_a_worker_killed_mid_job_loses_nothing_and_runs_nothing_twice(
    site, tmp_path: Path
):
    # given: a quick job, then a slow one
    notes = tmp_path / "notes"
    _enqueue(site, ("note", (str(notes), "quick")), ("slow_note", (str(notes), "slow")))
    with running(WORKER, env=site) as worker:
        _wait_for(Path(f"{notes}.runs"), worker)
        assert notes.read_text() == "quick\n"
        # when: the worker is killed in the middle of the slow job
        worker.process.send_signal(signal.SIGKILL)
        worker.process.wait(timeout=10)
    assert _jobs(site) == [("note", "SUCCESSFUL", 1), ("slow_note", "RUNNING", 1)]
    # when: it starts again
    with running(WORKER, env=site) as worker:
        jobs = _wait_until_done(site, worker)
    # then: the slow job ran again, to the end; the quick one did not
    assert jobs == [("note", "SUCCESSFUL", 1), ("slow_note", "SUCCESSFUL", 2)]
    assert notes.read_text() == "quick\nslow\n"
    assert Path(f"{notes}.runs").read_text() == "run\nrun\n"


def test_sigterm_lets_the_running_job_finish_then_stops(site, tmp_path: Path):
    # given
    notes = tmp_path / "notes"
    _enqueue(site, ("slow_note", (str(notes), "finished", 3)))
    with running(WORKER, env=site) as worker:
        _wait_for(Path(f"{notes}.runs"), worker)
        # when: SIGTERM in the middle of the job
        worker.process.send_signal(signal.SIGTERM)
        # then
        assert worker.process.wait(timeout=30) == 0, worker.output()
    assert notes.read_text() == "finished\n"
    assert _jobs(site) == [("slow_note", "SUCCESSFUL", 1)]
    output = _shell(
        site,
        "from askwell.operations.models import JobWorker; "
        "print(JobWorker.objects.count())",
    )
    assert output.splitlines()[-1] == "0", "it deleted its sign of life"
