from __future__ import annotations

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "askwell.notifications"
    label = "notifications"
    verbose_name = "Notifications and follows"

    def ready(self) -> None:
        from askwell.accounts import personal_data
        from askwell.notifications import personal_data as notifications_data

        # Tell people what happens to the content (questions/signals.py).
        from askwell.notifications import receivers  # noqa: F401

        # A person's follows, notifications and preferences
        # (askwell/accounts/personal_data.py).
        personal_data.register(
            "notifications",
            export=notifications_data.export,
            erase=notifications_data.erase,
        )
