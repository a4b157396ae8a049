"""Search follows the content: the events it subscribes to, connected in
SearchConfig.ready(). The content apps send them (questions/signals.py,
topics/signals.py, experts/signals.py) and never call search.

Every receiver only queues indexing for after the sender's transaction
commits: a rolled-back change is never indexed, and a request never waits
for the index or the embedding model. A change on the site queues a
background job (search/tasks.py); a bulk load (embed=False, an import
command) indexes lexically in its own process after each batch commits
(indexing.schedule_*), so its documents are written before it computes
their vectors. Visibility waits for neither: search checks every result
against the live answer status when it is fetched, so a hidden answer
vanishes from results at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.dispatch import receiver

from askwell.core.jobs import enqueue_after_commit
from askwell.experts.signals import contributor_changed
from askwell.questions.signals import content_changed
from askwell.search import indexing, tasks
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
    if not embed:
        indexing.schedule_questions(question_ids)
        indexing.schedule_answers(answer_ids)
    elif question_ids or answer_ids:
        enqueue_after_commit(tasks.index_content, list(question_ids), list(answer_ids))


@receiver(topic_changed)
def reindex_topic(sender: type, *, topic_ids: list[int], **kwargs: Any) -> None:
    enqueue_after_commit(tasks.index_topics, list(topic_ids))


@receiver(contributor_changed)
def reindex_contributor(
    sender: type, *, contributor: Contributor, **kwargs: Any
) -> None:
    enqueue_after_commit(tasks.index_contributor, contributor.pk)
