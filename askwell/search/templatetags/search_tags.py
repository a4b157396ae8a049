"""What search adds to the question pages, which questions owns and which
cannot import search (it is the layer below).

`{% continue_learning question as related_questions %}`: the question page's
"Continue learning" (templates/search/_continue_learning.html, included by
the question page inside its side column, which is cached per content
generation: the tag runs only when that fragment is built).
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from askwell.experts.models import Contributor
from askwell.questions.models import Answer, Question
from askwell.search import engine

register = template.Library()

RELATED_LIMIT = 6


@dataclass(frozen=True)
class RelatedQuestion:
    question: Question
    top_answer: Answer
    answer_count: int

    @property
    def contributor(self) -> Contributor:
        return self.top_answer.contributor


@register.simple_tag
def continue_learning(
    question: Question, limit: int = RELATED_LIMIT
) -> list[RelatedQuestion]:
    """Answered questions on the same topic first, then semantically close
    ones (the engine decides), each with its top answer as the question page
    would show it first."""
    return [
        RelatedQuestion(q, q.published_answers[0], len(q.published_answers))
        for q in engine.related_questions(question, limit=limit)
    ]
