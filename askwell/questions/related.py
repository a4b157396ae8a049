"""What a question page offers next: "Continue learning" and related videos.

Kept apart from the view so the search engine (issue 4) can replace the
ranking without touching the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from askwell.experts.models import Contributor, Video
from askwell.questions.models import Answer, Question
from askwell.topics.models import Topic

RELATED_LIMIT = 6
VIDEO_LIMIT = 3


@dataclass(frozen=True)
class RelatedQuestion:
    question: Question
    top_answer: Answer
    answer_count: int

    @property
    def contributor(self) -> Contributor:
        return self.top_answer.contributor


def related_questions(
    question: Question, topic: Topic | None, *, limit: int = RELATED_LIMIT
) -> list[RelatedQuestion]:
    """Answered questions in the same topic, each with its top answer.

    Two queries whatever the number of questions and answers: the questions,
    then their published answers in display order (so the first one is the
    answer the question page would show first).
    """
    if topic is None:
        return []
    candidates = (
        Question.objects.visible()
        .filter(topics=topic, answers__status=Answer.Status.PUBLISHED)
        .exclude(pk=question.pk)
        .distinct()
        .order_by("-view_count", "-pk")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.published()
                .ordered_for_display()
                .select_related("contributor"),
                to_attr="published_answers",
            )
        )[:limit]
    )
    return [
        RelatedQuestion(q, q.published_answers[0], len(q.published_answers))
        for q in candidates
        if q.published_answers
    ]


def related_videos(question: Question, *, limit: int = VIDEO_LIMIT) -> list[Video]:
    topic_ids = [t.pk for t in question.topics.all()]
    if not topic_ids:
        return []
    return list(
        Video.objects.filter(topics__in=topic_ids)
        .distinct()
        .select_related("presenter")
        .order_by("-created_at", "-pk")[:limit]
    )
