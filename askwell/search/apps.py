from __future__ import annotations

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "askwell.search"
    label = "search"

    def ready(self) -> None:
        # Search follows the content (questions, topics and experts' signals).
        from askwell.search import receivers  # noqa: F401
