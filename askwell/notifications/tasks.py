"""Notifications' background jobs: the emails (actions.py says how each is
sent once, however often its job runs)."""

from __future__ import annotations

from django_tasks import task

from askwell.notifications import actions


@task()
def send_emails(notification_ids: list[int]) -> int:
    """Email these notifications to readers who want them at once."""
    return actions.send_notification_emails(notification_ids)
