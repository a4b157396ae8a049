"""What a question page offers next: "Continue learning" and related videos."""

from __future__ import annotations

from dataclasses import dataclass

from askwell import search
from askwell.experts.models import Contributor, Video
from askwell.questions.models import Answer, Question

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
    question: Question, *, limit: int = RELATED_LIMIT
) -> list[RelatedQuestion]:
    """ "Continue learning": answered questions on the same topic first, then
    semantically close ones (the search engine decides), each with its top
    answer as the question page would show it first."""
    return [
        RelatedQuestion(q, q.published_answers[0], len(q.published_answers))
        for q in search.related_questions(question, limit=limit)
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
