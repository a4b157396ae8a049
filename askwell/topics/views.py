"""The topic directory and a topic's subtopics. A topic's own page lists its
questions, so it is the questions' (questions/browse.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from askwell.core.pagination import paginate
from askwell.topics.models import Topic


def directory(request: HttpRequest) -> HttpResponse:
    topics = Topic.objects.directory()
    return render(request, "topics/directory.html", {"topics": topics})


def subtopics(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic, slug=slug)
    children = topic.children.order_by("name", "pk")
    return render(
        request,
        "topics/subtopics.html",
        {
            "topic": topic,
            "path": topic.path(),
            "page": paginate(request, children, per_page=100),
        },
    )
