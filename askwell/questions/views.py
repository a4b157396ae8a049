from __future__ import annotations

from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from askwell.core.pagination import paginate
from askwell.questions.models import Question, summarize_stances
from askwell.questions.related import related_questions, related_videos


def question_list(request: HttpRequest) -> HttpResponse:
    questions = (
        Question.objects.visible()
        .with_published_answer_count()
        .order_by("-created_at", "-pk")
    )
    return render(
        request, "questions/list.html", {"page": paginate(request, questions)}
    )


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    question = get_object_or_404(
        Question.objects.visible().prefetch_related("topics"), slug=slug
    )
    Question.objects.filter(pk=question.pk).update(view_count=F("view_count") + 1)
    answers = list(
        question.answers.published()
        .ordered_for_display()
        .select_related("contributor", "source_book")
    )
    topic = question.primary_topic()
    return render(
        request,
        "questions/detail.html",
        {
            "question": question,
            "answers": answers,
            "stance_summary": summarize_stances(answers),
            "topic": topic,
            "topic_path": topic.path() if topic else [],
            "related_questions": related_questions(question),
            "related_videos": related_videos(question),
        },
    )
