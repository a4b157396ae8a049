"""What the job workers share besides the job queue itself (django-tasks-db's
table): which workers are alive, and when each scheduled job is due next
(askwell/operations/jobs.py)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class JobWorker(models.Model):
    """A running `askwell worker`. It writes `seen_at` every few seconds and
    deletes its row when it stops; a job left running under a worker that
    stopped writing (killed, or its machine went down) goes back to the queue."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(
        max_length=255,
        help_text="The machine it runs on: its host name and process id "
        "namespace (jobs.this_machine()).",
    )
    pid = models.PositiveIntegerField(
        verbose_name="process id",
        help_text="On the same machine, a worker whose process is gone is known "
        "to be dead at once, without waiting for its signs of life to stop.",
    )
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(
        default=timezone.now, help_text="Its last sign of life."
    )

    def __str__(self) -> str:
        return f"worker {self.worker_id}"


class ScheduledJob(models.Model):
    """When a periodic job (operations/schedule.py) is next due. A worker
    queues it by moving `due_at` on in one conditional update, so however
    many workers look at once, one of them queues it, once per period."""

    name = models.CharField(max_length=100, primary_key=True)
    due_at = models.DateTimeField(help_text="When it is next queued.")
    last_queued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
