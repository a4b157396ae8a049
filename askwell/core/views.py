from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.static import serve

from askwell.core.context_processors import site
from askwell.questions.models import Question
from askwell.topics.models import Topic


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/home.html",
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


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, rendered without the request context that may be what failed."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render(site()))


def media(request: HttpRequest, path: str) -> HttpResponse:
    """Uploaded photos and covers, read from MEDIA_ROOT as it is at request time."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)
