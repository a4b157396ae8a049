"""Pages for browsing that list questions and answers: the home page, a
topic's page, the contributor directory, a contributor's profile and a book.

They live with the questions because they read them; lower apps (core,
topics, experts) never import questions. askwell/urls.py mounts them under
their usual addresses and names (questions/urls.py: topic_pages and
contributor_pages).
"""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from askwell.core.pagination import paginate
from askwell.experts import permissions as expert_permissions
from askwell.experts.models import Book, Contributor, Video
from askwell.experts.structured_data import profile_page
from askwell.questions.models import Answer, Question
from askwell.topics.models import Topic

SUBTOPICS_SHOWN = 40
QUESTION_SORTS = {
    "newest": ("-created_at", "-pk"),
    "most-viewed": ("-view_count", "-pk"),
}


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


# --- topics -------------------------------------------------------------------------


def topic(request: HttpRequest, slug: str) -> HttpResponse:
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
    top_contributors = _top_contributors(topic_ids)
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


def _top_contributors(topic_ids: list[int], count: int = 6) -> list[Contributor]:
    """Who answers here: most published answers in the topic's questions first.

    Counted from the topic's answers (reached through its question links),
    then the few contributors fetched: counting from the contributors' side
    joined every contributor's answers first (54 ms on MedQuAD).
    """
    in_topic = Question.topics.through.objects.filter(topic_id__in=topic_ids)
    counts = list(
        Answer.objects.filter(Answer.published_q())
        .filter(question_id__in=in_topic.values("question_id"))
        .values("contributor_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "contributor_id")[: count * 4]
    )
    found = Contributor.objects.in_bulk([row["contributor_id"] for row in counts])
    ranked = sorted(
        ((row["n"], found[row["contributor_id"]]) for row in counts),
        key=lambda item: (-item[0], item[1].name),
    )
    top = []
    for n, contributor in ranked[:count]:
        contributor.topic_answers = n
        top.append(contributor)
    return top


# --- contributors and books ---------------------------------------------------------


def contributor_list(request: HttpRequest) -> HttpResponse:
    contributors = Contributor.objects.annotate(
        published_answers=Count("answers", filter=Answer.published_q("answers__"))
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
            "can_see_members": expert_permissions.can_see_members(request.user, person),
            "can_edit_profile": expert_permissions.can_edit_profile(
                request.user, person
            ),
            "structured_data": profile_page(person),
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
