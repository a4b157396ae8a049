from __future__ import annotations

from django.urls import path

from askwell.questions import views

app_name = "questions"
urlpatterns = [
    path("", views.question_list, name="list"),
    path("<slug:slug>/", views.detail, name="detail"),
]
