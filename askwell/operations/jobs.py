"""The job worker (`askwell worker`) and what operators see of the jobs
(`askwell jobs`).

Jobs wait in the database (django-tasks-db's DBTaskResult table) and its
worker runs them; this module adds what Askwell needs on top:

- Retries. A job that fails goes back to the queue, to run again after a
  backoff (ASKWELL_JOB_RETRY_SECONDS, three times longer after each further
  failure, at most MAX_BACKOFF) until it has run ASKWELL_JOB_ATTEMPTS times;
  then it stays failed, with its error, for `askwell jobs` and the admin.
- Jobs of a killed worker. Each worker writes a sign of life
  (JobWorker.seen_at) every HEARTBEAT_SECONDS. A job still marked running
  under a worker that stopped (no sign for LOST_AFTER, or, on the same
  machine, its process is gone) is queued again: killing a worker mid-job
  loses nothing. Jobs are written to be run twice (askwell/core/jobs.py).
- Scheduled jobs (operations/schedule.py). A worker queues each one when it
  falls due; the conditional update of its ScheduledJob row lets exactly one
  worker do so per period, however many run.

The worker does these between jobs, and a thread of its own does them every
HEARTBEAT_SECONDS while a long job runs.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker
from django_tasks_db.models import DBTaskResult, get_date_max

from askwell.operations.models import JobWorker, ScheduledJob
from askwell.operations.schedule import SCHEDULE, Scheduled

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 10
# Six missed signs of life: a worker whose database is slow for a while is
# not taken for dead.
LOST_AFTER = timedelta(seconds=60)
MAX_BACKOFF = timedelta(hours=6)
# A worker that stopped without deleting its row (it was killed) is
# forgotten after a day; its jobs were queued again long before.
FORGET_WORKERS_AFTER = timedelta(days=1)
# Failures that running the job again cannot mend: the job's code is gone.
NOT_RETRIED = {
    "builtins.ImportError",
    "builtins.ModuleNotFoundError",
    "django.core.exceptions.SuspiciousOperation",
}
LOST_JOB_ERROR = "askwell.operations.jobs.WorkerLost"


class WorkerLost(Exception):
    """The worker running a job stopped before the job finished. Never
    raised: a recovered job names it as its error (LOST_JOB_ERROR)."""


def backoff(attempts: int) -> timedelta:
    """How long a job that failed `attempts` times waits before the next run."""
    seconds = settings.ASKWELL_JOB_RETRY_SECONDS * 3 ** max(attempts - 1, 0)
    return min(timedelta(seconds=seconds), MAX_BACKOFF)


def this_machine() -> str:
    """Where process ids mean the same: the host name, and on Linux the pid
    namespace (containers sharing a host name each have their own)."""
    try:
        namespace = os.readlink("/proc/self/ns/pid")
    except OSError:
        namespace = ""
    return f"{socket.gethostname()} {namespace}".strip()[:255]


def new_worker_id() -> str:
    """Unique across machines, and readable in `askwell jobs`: host:pid:random."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{get_random_string(8)}"


class Worker(DatabaseWorker):
    """django-tasks-db's worker, retrying failed jobs with backoff."""

    def run_task(self, db_task_result: DBTaskResult[Any, Any]) -> None:
        super().run_task(db_task_result)
        if db_task_result.status == TaskResultStatus.FAILED:
            _retry_later(db_task_result)


def _retry_later(job: DBTaskResult[Any, Any]) -> None:
    attempts = len(job.worker_ids)
    if (
        attempts >= settings.ASKWELL_JOB_ATTEMPTS
        or job.exception_class_path in NOT_RETRIED
    ):
        logger.error(
            "Job %s (%s) failed for good after %d attempts: %s",
            job.id,
            job.task_path,
            attempts,
            error_summary(job),
        )
        return
    delay = backoff(attempts)
    DBTaskResult.objects.filter(pk=job.pk, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY,
        run_after=timezone.now() + delay,
        finished_at=None,
    )
    logger.warning(
        "Job %s (%s) failed (attempt %d of %d); it runs again in %d s: %s",
        job.id,
        job.task_path,
        attempts,
        settings.ASKWELL_JOB_ATTEMPTS,
        delay.total_seconds(),
        error_summary(job),
    )


# Signs of life, and the jobs of workers that died.


def beat(worker_id: str) -> None:
    """Write this worker's sign of life."""
    now = timezone.now()
    if not JobWorker.objects.filter(pk=worker_id).update(seen_at=now):
        JobWorker.objects.create(
            worker_id=worker_id,
            hostname=this_machine(),
            pid=os.getpid(),
            started_at=now,
            seen_at=now,
        )


def stop(worker_id: str) -> None:
    JobWorker.objects.filter(pk=worker_id).delete()


def _process_exists(pid: int) -> bool:
    stat = Path(f"/proc/{pid}/stat")
    if stat.parent.parent.is_dir():  # Linux: a zombie is a dead process too.
        try:
            text = stat.read_text()
        except OSError:
            return False
        return text[text.rindex(")") + 2] != "Z"
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def live_workers(now: datetime) -> set[str]:
    """Ids of the workers that are alive as far as anyone can tell."""
    here = this_machine()
    alive = set()
    for worker in JobWorker.objects.filter(seen_at__gte=now - LOST_AFTER):
        if worker.hostname == here and not _process_exists(worker.pid):
            continue
        alive.add(worker.worker_id)
    return alive


def recover_lost_jobs(now: datetime | None = None) -> list[str]:
    """Queue again the jobs left running by workers that died (to run at
    once: the job did not fail); a job that has used up its attempts this way
    is failed instead. Returns the ids of the jobs recovered."""
    now = now or timezone.now()
    alive = live_workers(now)
    recovered = []
    for job in DBTaskResult.objects.running():
        last_worker = job.worker_ids[-1] if job.worker_ids else None
        if last_worker in alive:
            continue
        known = JobWorker.objects.filter(pk=last_worker).exists()
        # A worker id nobody registered (a plain `db_worker`) gets time to
        # finish before its job is taken for lost.
        if not known and job.started_at and job.started_at > now - LOST_AFTER:
            continue
        attempts = len(job.worker_ids)
        message = (
            f"The worker {last_worker} stopped while running this job "
            f"(attempt {attempts}): it was killed, or its machine went down."
        )
        if attempts >= settings.ASKWELL_JOB_ATTEMPTS:
            changes = {"status": TaskResultStatus.FAILED, "finished_at": now}
        else:
            changes = {"status": TaskResultStatus.READY, "run_after": get_date_max()}
        # Only if no one else recovered or finished it meanwhile.
        if DBTaskResult.objects.filter(
            pk=job.pk, status=TaskResultStatus.RUNNING, started_at=job.started_at
        ).update(**changes, exception_class_path=LOST_JOB_ERROR, traceback=message):
            logger.warning("Job %s (%s): %s", job.id, job.task_path, message)
            recovered.append(str(job.id))
    JobWorker.objects.filter(seen_at__lt=now - FORGET_WORKERS_AFTER).delete()
    return recovered


# Scheduled jobs.


def enqueue_due(
    now: datetime | None = None, schedule: Iterable[Scheduled] = SCHEDULE
) -> list[str]:
    """Queue each scheduled job that is due; returns their names.

    A job never seen before is due at once. Moving its `due_at` on and
    queueing it happen in one transaction, and the move is a conditional
    update: of two workers looking at the same moment, one updates the row
    and queues the job, the other updates nothing.
    """
    now = now or timezone.now()
    queued = []
    for entry in schedule:
        ScheduledJob.objects.get_or_create(name=entry.name, defaults={"due_at": now})
        with transaction.atomic():
            if ScheduledJob.objects.filter(name=entry.name, due_at__lte=now).update(
                due_at=now + entry.every, last_queued_at=now
            ):
                entry.job.enqueue()
                queued.append(entry.name)
    return queued


def housekeeping(worker_id: str) -> None:
    """What a worker does besides running jobs: its sign of life, the jobs
    of dead workers, the scheduled jobs."""
    beat(worker_id)
    recover_lost_jobs()
    enqueue_due()


class Housekeeper(threading.Thread):
    """Runs housekeeping() every HEARTBEAT_SECONDS beside the worker's jobs,
    so a job that runs for minutes does not make its worker look dead."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name="askwell-housekeeping", daemon=True)
        self.worker_id = worker_id
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.wait(HEARTBEAT_SECONDS):
                close_old_connections()
                try:
                    housekeeping(self.worker_id)
                except Exception:
                    logger.exception("Job worker housekeeping failed; trying again")
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=HEARTBEAT_SECONDS + 5)


# What operators see and do (`askwell jobs`).

LISTED = {
    "failed": [TaskResultStatus.FAILED],
    "running": [TaskResultStatus.RUNNING],
    "waiting": [TaskResultStatus.READY],
    "done": [TaskResultStatus.SUCCESSFUL],
}


def jobs(statuses: Iterable[str]) -> QuerySet[DBTaskResult[Any, Any]]:
    """Jobs with these statuses (TaskResultStatus values), newest first."""
    return DBTaskResult.objects.filter(status__in=list(statuses)).order_by(
        "-enqueued_at"
    )


def error_summary(job: DBTaskResult[Any, Any]) -> str:
    """The last error's closing line ("ConnectionRefusedError: SMTP server
    down"), or "" if the job has none."""
    lines = [line for line in job.traceback.splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def attempts_of(job: DBTaskResult[Any, Any]) -> int:
    return len(job.worker_ids)


def retry_jobs(job_ids: Iterable[str]) -> list[str]:
    """Queue failed jobs again, to run at once with their attempts counted
    afresh; returns the ids that were failed (others are left alone)."""
    retried = []
    for job_id in job_ids:
        with transaction.atomic():
            job = (
                DBTaskResult.objects.select_for_update()
                .filter(pk=job_id, status=TaskResultStatus.FAILED)
                .first()
            )
            if job is None:
                continue
            job.status = TaskResultStatus.READY
            job.run_after = get_date_max()
            job.worker_ids = []
            job.started_at = job.finished_at = None
            job.save(
                update_fields=[
                    "status",
                    "run_after",
                    "worker_ids",
                    "started_at",
                    "finished_at",
                ]
            )
        retried.append(str(job.id))
    return retried
