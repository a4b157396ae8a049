"""The questions' addresses (urlpatterns, under /questions/), and the pages
of topics and contributors that list questions and answers and an expert's
home (For you, My answers), which askwell/urls.py mounts in the topics and
experts namespaces."""

from __future__ import annotations

from django.urls import path

from askwell.questions import browse, home, views
from askwell.questions.feeds import ContributorFeed, TopicFeed

app_name = "questions"
# The ask page's topic suggestions (suggest-topics) read search's topic
# phrases: askwell/urls.py adds them to this namespace from search/urls.py.
urlpatterns = [
    path("", views.question_list, name="list"),
    path("ask/", views.ask, name="ask"),
    path("preview/", views.preview, name="preview"),
    path("mine/", home.my_questions, name="mine"),
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

# Under /topics/, in the "topics" namespace.
topic_pages = [
    path("<slug:slug>/", browse.topic, name="detail"),
    path("<slug:slug>/feed/", TopicFeed(), name="feed"),
]
# Under /, in the "experts" namespace: an expert's home (For you, My
# answers) too.
contributor_pages = [
    path("experts/for-you/", home.for_you, name="for_you"),
    path("experts/answers/", home.my_answers, name="my_answers"),
    path("contributors/", browse.contributor_list, name="contributors"),
    path("contributors/<slug:slug>/", browse.contributor, name="contributor"),
    path(
        "contributors/<slug:slug>/feed/",
        ContributorFeed(),
        name="contributor_feed",
    ),
    path("books/<slug:slug>/", browse.book, name="book"),
]
