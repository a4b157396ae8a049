from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from askwell.core.pagination import paginate
from askwell.experts.models import Contributor, Video
from askwell.questions.models import Answer, Question
from askwell.topics.models import Topic

SUBTOPICS_SHOWN = 40
QUESTION_SORTS = {
    "newest": ("-created_at", "-pk"),
    "most-viewed": ("-view_count", "-pk"),
}


def directory(request: HttpRequest) -> HttpResponse:
    topics = Topic.objects.directory()
    return render(request, "topics/directory.html", {"topics": topics})


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic.objects.select_related("parent"), slug=slug)
    sort = request.GET.get("sort", "newest")
    if sort not in QUESTION_SORTS:
        sort = "newest"
    # A topic page covers its subtopics too: "Multiple Sclerosis" lists
    # questions filed under "Multiple Sclerosis Treatment".
    topic_ids = topic.descendant_ids()
    questions = (
        Question.objects.visible()
        .for_topics(topic_ids)
        .with_published_answer_count()
        .order_by(*QUESTION_SORTS[sort])
    )
    top_contributors = (
        Contributor.objects.annotate(
            topic_answers=Count(
                "answers",
                filter=Answer.published_q("answers__")
                & Q(answers__question__topics__in=topic_ids),
                distinct=True,
            )
        )
        .filter(topic_answers__gt=0)
        .order_by("-topic_answers", "name")[:6]
    )
    videos = (
        Video.objects.filter(topics__in=topic_ids)
        .distinct()
        .select_related("presenter")
        .order_by("-created_at")[:4]
    )
    return render(
        request,
        "topics/detail.html",
        {
            "topic": topic,
            "path": topic.ancestors(),
            "subtopics": topic.children.order_by("name", "pk")[:SUBTOPICS_SHOWN],
            "subtopic_count": topic.children.count(),
            "page": paginate(request, questions),
            "sort": sort,
            "sorts": [("newest", "Newest"), ("most-viewed", "Most viewed")],
            "top_contributors": top_contributors,
            "videos": videos,
        },
    )


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
