from __future__ import annotations

from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "askwell.review"
    label = "review"
    verbose_name = "Medical review"
