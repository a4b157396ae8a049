from __future__ import annotations

from django.urls import path

from askwell.topics import views

app_name = "topics"
# A topic's page and feed list questions: askwell/urls.py adds them to this
# namespace from questions/urls.py (topic_pages).
urlpatterns = [
    path("", views.directory, name="directory"),
    path("<slug:slug>/subtopics/", views.subtopics, name="subtopics"),
]
