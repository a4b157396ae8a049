from __future__ import annotations

from django.urls import path

from askwell.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read/", views.mark_all_read, name="mark-all-read"),
    path("<int:pk>/", views.open_notification, name="open"),
    path("preferences/", views.preferences, name="preferences"),
    path("saved/", views.saved, name="saved"),
    path(
        "topics/<slug:slug>/follow/",
        views.follow_topic,
        {"follow": True},
        name="follow-topic",
    ),
    path(
        "topics/<slug:slug>/unfollow/",
        views.follow_topic,
        {"follow": False},
        name="unfollow-topic",
    ),
    path(
        "questions/<slug:slug>/follow/",
        views.follow_question,
        {"follow": True},
        name="follow-question",
    ),
    path(
        "questions/<slug:slug>/unfollow/",
        views.follow_question,
        {"follow": False},
        name="unfollow-question",
    ),
    path(
        "questions/<slug:slug>/save/",
        views.save_question,
        {"save": True},
        name="save-question",
    ),
    path(
        "questions/<slug:slug>/unsave/",
        views.save_question,
        {"save": False},
        name="unsave-question",
    ),
]
