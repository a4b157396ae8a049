from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from askwell.notifications.actions import send_digests


class Command(BaseCommand):
    help = (
        "Email each reader who chose the daily digest one message with their "
        "notifications not yet emailed, now. `askwell worker` sends the digest "
        "once a day by itself; no cron line is needed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = send_digests()
        self.stdout.write(
            f"Sent {summary.digests} digest{'s' if summary.digests != 1 else ''} "
            f"covering {summary.notifications} "
            f"notification{'s' if summary.notifications != 1 else ''}"
        )
        if summary.failed:
            raise CommandError(
                f"{len(summary.failed)} digest(s) not sent, left for the next run "
                f"(first error: {summary.failed[0]!r})"
            )
