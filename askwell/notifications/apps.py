from __future__ import annotations

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "askwell.notifications"
    label = "notifications"
    verbose_name = "Notifications and follows"

    def ready(self) -> None:
        # Tell people what happens to the content (questions/signals.py).
        from askwell.notifications import receivers  # noqa: F401
