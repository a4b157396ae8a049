from __future__ import annotations

from django.urls import path

from askwell.questions.feeds import TopicFeed
from askwell.topics import views

app_name = "topics"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/subtopics/", views.subtopics, name="subtopics"),
    path("<slug:slug>/feed/", TopicFeed(), name="feed"),
]
