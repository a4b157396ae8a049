"""Medical review's background jobs."""

from __future__ import annotations

from django_tasks import task

from askwell.review import actions


@task()
def remind_reviewers() -> int:
    """The weekly reminder of answers due for review again (queued by
    operations/schedule.py)."""
    return actions.remind_reviewers()
