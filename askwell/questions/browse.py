"""Pages for browsing that list questions and answers: the home page.

They live with the questions because they read them; lower apps (core,
topics, experts) never import questions. askwell/urls.py mounts them under
their usual addresses and names.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from askwell.questions.models import Question
from askwell.topics.models import Topic


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "questions/home.html",
        {
            "topics": Topic.objects.directory(),
            "recent_questions": _first_questions("-created_at"),
            "popular_questions": _first_questions("-view_count", "-created_at"),
        },
    )


def _first_questions(*ordering: str, count: int = 8) -> list[Question]:
    """The first visible questions in this order, with their answer counts.

    The order is taken from the indexes first and the counts added for those
    rows only: annotating before the LIMIT made the database count answers
    of every question (130 ms at 45,000 questions, worse at a million).
    """
    first = list(
        Question.objects.visible()
        .order_by(*ordering)
        .values_list("pk", flat=True)[:count]
    )
    found = Question.objects.filter(pk__in=first).with_published_answer_count()
    by_pk = {q.pk: q for q in found}
    return [by_pk[pk] for pk in first]
