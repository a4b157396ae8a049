from __future__ import annotations

from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "askwell.experts"
    label = "experts"

    def ready(self) -> None:
        from askwell.accounts import personal_data
        from askwell.experts import personal_data as experts_data

        # A person's expert profile, memberships and applications
        # (askwell/accounts/personal_data.py).
        personal_data.register(
            "experts", export=experts_data.export, erase=experts_data.erase
        )
