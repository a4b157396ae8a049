from __future__ import annotations

from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "askwell.experts"
    label = "experts"
