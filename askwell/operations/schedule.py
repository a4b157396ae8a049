"""The jobs that run on a schedule, queued by `askwell worker` when due
(operations/jobs.py: enqueue_due). No cron line is needed: any running
worker queues each of them once per period, however many workers run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django_tasks.base import Task

from askwell import search
from askwell.notifications import tasks as notifications
from askwell.operations import tasks as operations
from askwell.review import tasks as review


@dataclass(frozen=True)
class Scheduled:
    name: str
    job: Task[[], Any]
    every: timedelta


# Each runs first when the first worker starts, then once per period
# (not at a fixed hour of the day).
SCHEDULE: tuple[Scheduled, ...] = (
    Scheduled(
        "notifications.send_digests", notifications.send_digests, timedelta(days=1)
    ),
    Scheduled("review.remind_reviewers", review.remind_reviewers, timedelta(days=7)),
    Scheduled("operations.prune_jobs", operations.prune_jobs, timedelta(days=1)),
    Scheduled(
        "search.find_missing_related", search.find_missing_related, timedelta(hours=1)
    ),
)
