"""`askwell jobs`: the background jobs that failed, run or wait, and retrying them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from askwell.operations import jobs

DEFAULT_SHOWN = ("failed", "running", "waiting")


class Command(BaseCommand):
    help = (
        "List background jobs, newest first: by default those that failed for "
        "good, run now or wait (with their last error); `askwell jobs retry ID…` "
        "queues failed jobs again. Jobs wait in the database "
        "(ASKWELL_TASKS_BACKEND=database); the admin lists them too."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action",
            nargs="?",
            choices=["list", "retry"],
            default="list",
            help="list (the default) or retry",
        )
        parser.add_argument("ids", nargs="*", metavar="ID", help="jobs to retry")
        parser.add_argument(
            "--status",
            action="append",
            choices=[*jobs.LISTED, "all"],
            help="only jobs with this status (repeatable; default: failed, "
            "running and waiting)",
        )
        parser.add_argument(
            "--limit",
            type=int,
            default=50,
            help="at most this many jobs (default 50)",
        )
        parser.add_argument(
            "--all-failed",
            action="store_true",
            help="with retry: every failed job",
        )

    def handle(
        self,
        *args: Any,
        action: str,
        ids: list[str],
        status: list[str] | None,
        limit: int,
        all_failed: bool,
        **options: Any,
    ) -> None:
        if action == "retry":
            self._retry(ids, all_failed=all_failed)
            return
        if ids or all_failed:
            raise CommandError("IDs and --all-failed go with `askwell jobs retry`.")
        if limit < 1:
            raise CommandError("--limit must be at least 1.")
        names = list(jobs.LISTED) if "all" in (status or []) else status
        statuses = [s for name in names or DEFAULT_SHOWN for s in jobs.LISTED[name]]
        shown = list(jobs.jobs(statuses)[:limit])
        if not shown:
            self.stdout.write(f"No {' or '.join(names or DEFAULT_SHOWN)} jobs.")
            return
        for job in shown:
            self.stdout.write(self._line(job))
            if error := jobs.error_summary(job):
                self.stdout.write(f"    last error: {error}")

    def _line(self, job: DBTaskResult[Any, Any]) -> str:
        when = job.finished_at or job.started_at or job.enqueued_at
        state = job.status.lower()
        if job.status == "READY" and timezone.now() < job.run_after != get_date_max():
            state = f"waiting until {_time(job.run_after)}"
        return (
            f"{job.id}  {job.task_path}  {state}  "
            f"attempts {jobs.attempts_of(job)}  {_time(when)}"
        )

    def _retry(self, ids: list[str], *, all_failed: bool) -> None:
        if all_failed:
            if ids:
                raise CommandError("Give job IDs or --all-failed, not both.")
            ids = [str(pk) for pk in jobs.jobs(["FAILED"]).values_list("pk", flat=True)]
        elif not ids:
            raise CommandError("Which jobs? Give their IDs, or --all-failed.")
        for job_id in ids:
            try:
                uuid.UUID(job_id)
            except ValueError:
                raise CommandError(f"{job_id!r} is not a job ID.") from None
        retried = jobs.retry_jobs(ids)
        for job_id in ids:
            if job_id in retried or str(uuid.UUID(job_id)) in retried:
                self.stdout.write(f"Queued again: {job_id}")
            else:
                self.stdout.write(f"Not a failed job, left alone: {job_id}")


def _time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")
