from __future__ import annotations

from django.apps import AppConfig


class ImportersConfig(AppConfig):
    name = "askwell.importers"
    label = "importers"
