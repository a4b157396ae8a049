from __future__ import annotations

from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "askwell.operations"
    label = "operations"
