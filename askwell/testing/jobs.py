"""Background jobs in tests (a pytest plugin, loaded by the root conftest.py).

The suite runs jobs at once, after the commit (ASKWELL_TASKS_BACKEND=immediate,
askwell/testing/env.py). A test about the queue itself asks for `job_queue`:
jobs then wait in the database, as in production, until the test runs them
with `run_queued_jobs()`: `askwell worker`'s own way of running a job (its
retries included), in the test's process and transaction.
"""

from __future__ import annotations

import pytest

DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}


def run_queued_jobs() -> int:
    """Run the jobs that are ready, one by one, until none is; returns how
    many ran. A job that fails is queued for later (or fails for good), as
    `askwell worker` does. What a job queues after its commit (its emails)
    is queued when it ends, as outside the test's transaction."""
    from django.test import TestCase
    from django_tasks_db.models import DBTaskResult

    from askwell.operations.jobs import Worker

    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while job := DBTaskResult.objects.ready().first():
        job.claim(worker.worker_id)
        with TestCase.captureOnCommitCallbacks(execute=True):
            worker.run_task(job)
        ran += 1
    return ran


@pytest.fixture
def job_queue(settings, db):
    """Jobs wait in the database until run_queued_jobs() runs them."""
    settings.TASKS = DATABASE_TASKS
