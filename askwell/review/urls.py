from __future__ import annotations

from django.urls import path

from askwell.review import views

app_name = "review"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("due/", views.queue, {"kind": "due"}, name="due"),
    path("answers/<int:pk>/", views.review_answer, name="answer"),
]
