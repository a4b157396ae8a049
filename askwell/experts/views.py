from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from askwell.core.pagination import paginate
from askwell.experts.models import Book, Contributor, Video
from askwell.questions.models import Answer


def contributor_list(request: HttpRequest) -> HttpResponse:
    contributors = Contributor.objects.annotate(
        published_answers=Count(
            "answers", filter=Q(answers__status=Answer.Status.PUBLISHED)
        )
    ).order_by("kind", "name")
    return render(
        request,
        "experts/contributor_list.html",
        {"page": paginate(request, contributors, per_page=48)},
    )


def contributor(request: HttpRequest, slug: str) -> HttpResponse:
    person = get_object_or_404(Contributor, slug=slug)
    answers = (
        Answer.objects.published()
        .filter(contributor=person)
        .select_related("question")
        .order_by("-created_at", "-pk")
    )
    return render(
        request,
        "experts/contributor.html",
        {
            "contributor": person,
            "books": person.books.all(),
            "videos": person.videos.all(),
            "page": paginate(request, answers),
        },
    )


def book(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_object_or_404(Book, slug=slug)
    answers = (
        Answer.objects.published()
        .filter(source_book=item)
        .select_related("question", "contributor")
        .order_by("-created_at")
    )
    return render(
        request,
        "experts/book.html",
        {"book": item, "authors": item.authors.all(), "answers": answers},
    )


def video_list(request: HttpRequest) -> HttpResponse:
    videos = Video.objects.select_related("presenter").order_by("-created_at", "-pk")
    return render(
        request, "experts/video_list.html", {"page": paginate(request, videos)}
    )


def video(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_object_or_404(Video.objects.select_related("presenter"), slug=slug)
    return render(
        request, "experts/video.html", {"video": item, "topics": item.topics.all()}
    )
