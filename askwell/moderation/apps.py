from __future__ import annotations

from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "askwell.moderation"
    label = "moderation"
    verbose_name = "Moderation and privacy"

    def ready(self) -> None:
        from askwell.accounts import personal_data
        from askwell.moderation import personal_data as moderation_data

        # A person's reports to the editors
        # (askwell/accounts/personal_data.py).
        personal_data.register(
            "moderation", export=moderation_data.export, erase=moderation_data.erase
        )
