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
    topics = Topic.objects.directory()
    questions = Question.objects.visible().with_published_answer_count()
    return render(
        request,
        "core/home.html",
        {
            "topics": topics,
            "recent_questions": questions.order_by("-created_at")[:8],
            "popular_questions": questions.order_by("-view_count", "-created_at")[:8],
        },
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, rendered without the request context that may be what failed."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render(site()))


def media(request: HttpRequest, path: str) -> HttpResponse:
    """Uploaded photos and covers, read from MEDIA_ROOT as it is at request time."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)
