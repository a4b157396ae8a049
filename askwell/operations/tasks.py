"""Operations' background jobs: keeping the job table small."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

# Done jobs are kept a week (what ran, for `askwell jobs --status done`);
# failed ones a month, for operators to look into and retry. A mail job's
# arguments hold its message (a password reset link too): pruned with it.
KEEP_DONE = timedelta(days=7)
KEEP_FAILED = timedelta(days=30)


@task()
def prune_jobs() -> int:
    """Delete finished jobs past their keeping time; returns how many."""
    now = timezone.now()
    deleted, _ = (
        DBTaskResult.objects.filter(
            status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - KEEP_DONE
        )
        | DBTaskResult.objects.filter(
            status=TaskResultStatus.FAILED, finished_at__lt=now - KEEP_FAILED
        )
    ).delete()
    return deleted
