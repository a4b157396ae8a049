from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "askwell.core"
    label = "core"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from askwell.core import generation

        # Every write to shown content changes the content generation.
        connection_created.connect(generation.install)
        generation.install_on_open_connections()
