"""What search adds to the question pages, which questions owns and which
cannot import search (it is the layer below).

`{% continue_learning question as related_questions %}`: the question page's
"Continue learning" (templates/search/_continue_learning.html, included by
the question page inside its side column, which is cached per content
generation: the tag runs only when that fragment is built).

`{% topics_named_in text chosen=ids as suggested_topics %}`: the ask page's
topic suggestions (templates/search/_topic_suggestions.html, included by the
ask page and re-rendered while the question is typed by
search.views.suggest_topics).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django import template

from askwell.experts.models import Contributor
from askwell.language.understanding import find_focus
from askwell.questions.models import Answer, Question
from askwell.search import engine
from askwell.search.indexing import current_version
from askwell.search.phrases import topic_phrases
from askwell.topics.models import Topic

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
        # related_questions() prefetches published_answers (a to_attr its
        # list[Question] type cannot carry).
        RelatedQuestion(q, q.published_answers[0], len(q.published_answers))  # type: ignore[attr-defined]  # prefetched (to_attr)
        for q in engine.related_questions(question, limit=limit)
    ]


@register.simple_tag
def topics_named_in(text: str, chosen: Iterable[str] = ()) -> list[Topic]:
    """The topics `text` names, best first, leaving out those whose ids (as
    sent by the form) are in `chosen`. The caller bounds the text first."""
    if not text:
        return []
    focus, _ = find_focus(text, topic_phrases(current_version()), limit=5)
    found = {t.pk: t for t in Topic.objects.filter(pk__in=[m.topic_id for m in focus])}
    excluded = set(chosen)
    return [
        found[m.topic_id]
        for m in focus
        if m.topic_id in found and str(m.topic_id) not in excluded
    ]
