from __future__ import annotations

from django.urls import path

from askwell.questions import views

app_name = "questions"
urlpatterns = [
    path("", views.question_list, name="list"),
    path("ask/", views.ask, name="ask"),
    path("ask/topics/", views.suggest_topics, name="suggest-topics"),
    path("preview/", views.preview, name="preview"),
    path("answers/<int:pk>/edit/", views.edit_answer, name="edit-answer"),
    path("answers/<int:pk>/history/", views.answer_history, name="answer-history"),
    path("answers/<int:pk>/helpful/", views.helpful, name="helpful"),
    path("answers/<int:pk>/endorse/", views.endorse, name="endorse"),
    path("answers/<int:pk>/comments/", views.comment, name="comment"),
    path("revisions/<int:pk>/restore/", views.restore, name="restore"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/answer/", views.answer, name="answer"),
    path("<slug:slug>/edit/", views.edit_question, name="edit"),
    path("<slug:slug>/history/", views.question_history, name="history"),
]
