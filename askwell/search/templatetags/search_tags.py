"""What search adds to the question pages, which questions owns and which
cannot import search (it is the layer below).

`{% continue_learning question as related_questions %}`: the question page's
"Continue learning" (templates/search/_continue_learning.html, included by
the question page inside its side column, which is cached per content
generation: the tag runs only when that fragment is built).

`{% topic_choices text find=words chosen=ids as choices %}`: the ask page's
topic picker (templates/search/_topic_suggestions.html, included by the ask
and edit pages and re-rendered by search.views.suggest_topics while the
question or the "Find a topic" box is typed).
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


# Topics listed as matching the "Find a topic" box, at most.
FOUND_LIMIT = 8
# Chosen topic ids read from a request, at most (the form allows five).
CHOSEN_LIMIT = 20


@dataclass(frozen=True)
class TopicChoices:
    """The picker's checkboxes, each topic once: `chosen` ticked, then those
    whose names match the finder's words (`found`), then those the
    question's words name (`suggested`), best first."""

    chosen: list[Topic]
    found: list[Topic]
    suggested: list[Topic]


@register.simple_tag
def topic_choices(
    text: str, find: str = "", chosen: Iterable[object] = ()
) -> TopicChoices:
    """The topic picker's choices for the question as typed (`text`), the
    finder's words (`find`) and the topics already ticked (`chosen`: ids
    as a form sends them, or topics). The caller bounds the texts first.
    Three queries at most, besides the topic phrases' cache."""
    ids = _topic_ids(chosen)
    ticked = (
        list(Topic.objects.filter(pk__in=ids).select_related("parent").order_by("name"))
        if ids
        else []
    )
    shown = {t.pk for t in ticked}
    found = list(
        Topic.objects.matching(find)
        .exclude(pk__in=shown)
        .select_related("parent")[:FOUND_LIMIT]
    )
    shown |= {t.pk for t in found}
    return TopicChoices(
        chosen=ticked,
        found=found,
        suggested=[t for t in topics_named_in(text) if t.pk not in shown],
    )


def _topic_ids(values: Iterable[object]) -> list[int]:
    ids = []
    for value in values:
        raw = str(getattr(value, "pk", value))
        if raw.isdecimal() and len(raw) < 12:
            ids.append(int(raw))
    return ids[:CHOSEN_LIMIT]


def topics_named_in(text: str) -> list[Topic]:
    """The topics `text` names, best first. The caller bounds the text."""
    if not text:
        return []
    focus, _ = find_focus(text, topic_phrases(current_version()), limit=5)
    found = {
        t.pk: t
        for t in Topic.objects.filter(
            pk__in=[m.topic_id for m in focus]
        ).select_related("parent")
    }
    return [found[m.topic_id] for m in focus if m.topic_id in found]
