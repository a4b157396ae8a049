from __future__ import annotations

from django.urls import path

from askwell.experts import views

app_name = "experts"
urlpatterns = [
    path("contributors/", views.contributor_list, name="contributors"),
    path("contributors/<slug:slug>/", views.contributor, name="contributor"),
    path("books/<slug:slug>/", views.book, name="book"),
    path("videos/", views.video_list, name="videos"),
    path("videos/<slug:slug>/", views.video, name="video"),
]
