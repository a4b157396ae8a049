"""`askwell worker`: run background jobs (askwell/operations/jobs.py)."""

from __future__ import annotations

import logging
import signal
import sys
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend

from askwell.operations import jobs


class Command(BaseCommand):
    help = (
        "Run background jobs: mail, search indexing and embeddings, notifications "
        "and the scheduled ones (the daily digest). Keep at least one running "
        "beside `askwell serve`; more run side by side, on any machine sharing "
        "the database. A job that fails runs again later; a worker killed mid-job "
        "loses nothing (another one, or this one restarted, runs the job again). "
        "SIGTERM stops it once the current job is done."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Run the jobs that are waiting, then exit.",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds between looks at the queue while it is empty (default 1).",
        )

    def handle(self, *args: Any, batch: bool, interval: float, **options: Any) -> None:
        if interval < 0:
            raise CommandError("--interval must be 0 or more seconds.")
        # The framework's log lines (each job started and finished, with the
        # traceback of a failure) are the worker's output.
        for name in ("django_tasks", "django_tasks_db", "askwell.operations.jobs"):
            logging.getLogger(name).setLevel(logging.INFO)
        if not isinstance(task_backends["default"], DatabaseBackend):
            self._schedule_only(batch)
            return
        worker_id = jobs.new_worker_id()
        # Before the first job: this worker's sign of life, the jobs a killed
        # worker left running (this one's predecessor, after a restart), and
        # whatever scheduled job is due.
        jobs.housekeeping(worker_id)
        worker = jobs.Worker(
            queue_names=["default"],
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        self.stdout.write(f"• Worker {worker_id} running jobs")
        housekeeper = None if batch else jobs.Housekeeper(worker_id)
        try:
            if housekeeper is not None:
                housekeeper.start()
            worker.configure_signals()
            worker.run()
        finally:
            if housekeeper is not None:
                housekeeper.stop()
            jobs.stop(worker_id)

    def _schedule_only(self, batch: bool) -> None:
        """With ASKWELL_TASKS_BACKEND=redis, RQ's workers run the jobs; this
        command only queues the scheduled ones (with "immediate", it runs them)."""
        backend = settings.ASKWELL_TASKS_BACKEND
        if backend == "redis":
            self.stdout.write(
                "• Jobs wait in Redis: run them with "
                "`askwell rqworker --job-class django_tasks_rq.Job --with-scheduler "
                "default`. This process queues the scheduled jobs only."
            )
        else:
            self.stdout.write(
                f"• ASKWELL_TASKS_BACKEND={backend}: jobs run where they are "
                "queued. This process runs the scheduled jobs only."
            )
        signal.signal(signal.SIGTERM, _exit)
        while True:
            jobs.enqueue_due()
            if batch:
                return
            time.sleep(jobs.HEARTBEAT_SECONDS)


def _exit(signum: int, frame: FrameType | None) -> None:
    sys.exit(0)
