"""Search's addresses that live among other apps' pages: askwell/urls.py
mounts `ask_page_aids` under /questions/ in the questions namespace (the
search page and its similar-questions aid are in askwell/urls.py itself)."""

from __future__ import annotations

from django.urls import path

from askwell.search import views

ask_page_aids = [
    path("ask/topics/", views.suggest_topics, name="suggest-topics"),
]
