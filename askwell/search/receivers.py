"""Search follows the content: the events it subscribes to, connected in
SearchConfig.ready(). The content apps send them (questions/signals.py,
topics/signals.py, experts/signals.py) and never call search.

Every receiver only schedules indexing for after the sender's transaction
commits (indexing.schedule_*), as the callers did before: a rolled-back
change is never indexed. Visibility does not wait for that: search checks
every result against the live answer status when it is fetched, so a
hidden answer vanishes from results at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.dispatch import receiver

from askwell.experts.signals import contributor_changed
from askwell.questions.models import Question
from askwell.questions.signals import content_changed
from askwell.search import indexing
from askwell.topics.signals import topic_changed

if TYPE_CHECKING:
    from askwell.experts.models import Contributor


@receiver(content_changed)
def reindex_content(
    sender: type,
    *,
    question_ids: list[int],
    answer_ids: list[int],
    embed: bool = True,
    **kwargs: Any,
) -> None:
    indexing.schedule_questions(question_ids, embed=embed)
    indexing.schedule_answers(answer_ids, embed=embed)


@receiver(topic_changed)
def reindex_topic(sender: type, *, topic_ids: list[int], **kwargs: Any) -> None:
    # Topic names and other names are part of every search document under it.
    links = Question.topics.through.objects.filter(topic_id__in=topic_ids)
    indexing.schedule_questions(links.values_list("question_id", flat=True).distinct())
    # ...and of the focus table, even for a topic with no questions yet.
    transaction.on_commit(indexing.bump_version)


@receiver(contributor_changed)
def reindex_contributor(
    sender: type, *, contributor: Contributor, **kwargs: Any
) -> None:
    # Search ranks verified contributors' answers higher.
    indexing.schedule_answers(contributor.answers.values_list("pk", flat=True))
