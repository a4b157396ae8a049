"""The jobs that run on a schedule, queued by `askwell worker` when due
(operations/jobs.py: enqueue_due). No cron line is needed: any running
worker queues each of them once per period, however many workers run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django_tasks.base import Task


@dataclass(frozen=True)
class Scheduled:
    name: str
    job: Task[[], Any]
    every: timedelta


SCHEDULE: tuple[Scheduled, ...] = ()
