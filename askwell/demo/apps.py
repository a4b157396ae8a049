from __future__ import annotations

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "askwell.demo"
    label = "demo"
