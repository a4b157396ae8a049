"""`askwell worker` as an operator runs it: real processes on a database of
the test run's engine (a SQLite file, or PostgreSQL under `dev.py test`),
killed with SIGKILL mid-job: no Python clean-up, the job left marked running.
Started again, the worker runs that job to the end, and nothing twice: the
jobs of the test's own tasks.py, then real mail through a real SMTP
exchange with a server that hangs.
"""

from __future__ import annotations

import json
import signal
import socketserver
import sys
import threading
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
    """(job function, status, attempts) of every job but the scheduled ones
    (the digest…, which a worker queues when it starts), oldest first."""
    output = _shell(
        env,
        "import json\n"
        "from django_tasks_db.models import DBTaskResult\n"
        "from askwell.operations.schedule import SCHEDULE\n"
        "jobs = DBTaskResult.objects.exclude(\n"
        "    task_path__in=[s.job.module_path for s in SCHEDULE]\n"
        ").order_by('enqueued_at')\n"
        "print(json.dumps([(j.task_path.rsplit('.', 1)[1], j.status, "
        "len(j.worker_ids)) for j in jobs]))",
    )
    return [tuple(row) for row in json.loads(output.strip().splitlines()[-1])]


def _count(env: dict[str, str], rows: str) -> int:
    """How many ROWS (a queryset, e.g. "JobWorker.objects") the site has."""
    output = _shell(
        env, f"from askwell.operations.models import JobWorker\nprint({rows}.count())"
    )
    return int(output.splitlines()[-1])


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
    assert _count(site, "JobWorker.objects") == 0, "it deleted its sign of life"


class MailServer:
    """An SMTP server on loopback. A message counts as delivered once the
    server answers its DATA with 250, as for any real server; while `stall`
    is set it reads a message and never answers, like a server that hangs,
    so the message is never accepted."""

    def __init__(self) -> None:
        self.accepted: list[bytes] = []
        self.stall = threading.Event()
        self.stalled = threading.Event()
        server = self

        class Session(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                self.wfile.write(b"220 askwell-test ESMTP\r\n")
                while line := self.rfile.readline():
                    verb = line[:4].upper()
                    if verb == b"QUIT":
                        self.wfile.write(b"221 bye\r\n")
                        return
                    if verb != b"DATA":
                        self.wfile.write(b"250 ok\r\n")
                        continue
                    self.wfile.write(b"354 go on\r\n")
                    message = b"".join(iter(self._line_before_the_dot, b""))
                    if server.stall.is_set():
                        server.stalled.set()
                        while self.rfile.readline():  # until the sender is gone
                            pass
                        return
                    server.accepted.append(message)
                    self.wfile.write(b"250 accepted\r\n")

            def _line_before_the_dot(self) -> bytes:
                line = self.rfile.readline()
                return b"" if line in (b".\r\n", b"") else line

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Session)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    server = MailServer()
    yield server
    server.close()


def test_a_worker_killed_while_the_mail_server_hangs_sends_the_mail_once_restarted(
    site, mail_server
):
    # given: a notification to email, and a mail server that hangs
    _shell(
        site,
        "from askwell.notifications.tests.factories import NotificationFactory\n"
        "from askwell.notifications.tasks import send_emails\n"
        "n = NotificationFactory(recipient__email='reader@example.org', "
        "text='Dr Example answered “Is MS inherited?”')\n"
        "send_emails.enqueue([n.pk])\n",
    )
    env = site | {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(mail_server.port),
    }
    mail_server.stall.set()
    with running(WORKER, env=env) as worker:
        assert mail_server.stalled.wait(60), worker.output()
        # when: the worker is killed while the server holds the message
        worker.process.send_signal(signal.SIGKILL)
        worker.process.wait(timeout=10)
    assert mail_server.accepted == []
    assert _jobs(site) == [("send_emails", "RUNNING", 1)]
    # when: the server is well again, and the worker starts again
    mail_server.stall.clear()
    with running(WORKER, env=env) as worker:
        jobs = _wait_until_done(site, worker)
    # then: one message, and the notification marked emailed
    assert jobs == [("send_emails", "SUCCESSFUL", 2)]
    [message] = mail_server.accepted
    assert b"To: reader@example.org" in message
    output = _shell(
        site,
        "from askwell.notifications.models import Notification\n"
        "print(Notification.objects.filter(emailed_at__isnull=False).count())",
    )
    assert output.splitlines()[-1] == "1"


def test_two_workers_share_the_queue_and_queue_each_scheduled_job_once(
    site, tmp_path: Path
):
    # given: twenty quick jobs
    notes = tmp_path / "notes"
    _enqueue(site, *[("note", (str(notes), f"job {n}")) for n in range(20)])
    # when: two workers start at the same moment
    with running(WORKER, env=site) as first, running(WORKER, env=site) as second:
        _wait_until_done(site, first)
        # both have looked at the schedule: each wrote its sign of life first
        deadline = time.monotonic() + 60
        while _count(site, "JobWorker.objects") < 2:
            assert time.monotonic() < deadline, second.output()
        scheduled = _shell(
            site,
            "from django_tasks_db.models import DBTaskResult\n"
            "from askwell.operations.schedule import SCHEDULE\n"
            "for s in SCHEDULE:\n"
            "    print(s.name, DBTaskResult.objects.filter("
            "task_path=s.job.module_path).count())",
        )
    # then: each job ran once, and each scheduled job was queued once
    assert sorted(notes.read_text().splitlines()) == sorted(
        f"job {n}" for n in range(20)
    )
    assert scheduled.splitlines()[-4:] == [
        "notifications.send_digests 1",
        "review.remind_reviewers 1",
        "operations.prune_jobs 1",
        "search.find_missing_related 1",
    ]
