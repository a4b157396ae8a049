"""Background jobs, as the apps ask for them.

Each app defines its jobs in its own `tasks.py` with Django's task framework
(`django_tasks.task`, the backport of Django 6's `django.tasks`) and queues
them with `enqueue_after_commit`. `askwell worker` runs them
(askwell/operations/jobs.py: retries with backoff, jobs of a killed worker
taken up again, the scheduled ones).

A job's arguments are JSON (ids, not model instances), and a job may run
more than once: after a failure, or when the worker running it was killed.
So each job reads what it needs afresh, and checks what is already done
before doing it again.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django_tasks.base import Task


def enqueue_after_commit(job: Task[Any, Any], *args: Any, **kwargs: Any) -> None:
    """Queue `job` once the surrounding transaction commits (at once outside
    one): a rolled-back change queues nothing, and the worker never starts
    before the rows the job reads are visible to it.

    Robust: the change is committed whatever happens to the queueing, so a
    queue that is down is logged, not turned into an error page.
    """
    transaction.on_commit(partial(job.enqueue, *args, **kwargs), robust=True)
