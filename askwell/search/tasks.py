"""Search's background jobs: the index follows the content (receivers.py
queues them after the commit of each change on the site).

Each job reads the content as it is when it runs, so running it again, or
after a later change, writes the same documents: indexing is idempotent.
Visibility never waits for a job: search checks every result against the
live answer status, so a hidden answer vanishes from results at once.
"""

from __future__ import annotations

from django_tasks import task

from askwell.core.jobs import enqueue_after_commit
from askwell.questions.models import Answer, Question
from askwell.search import indexing, related

# Questions per step of a topic's reindexing: bounds each query's id list.
QUESTIONS_PER_STEP = 500


@task()
def index_content(question_ids: list[int], answer_ids: list[int]) -> None:
    """Rewrite the documents and vectors of these questions (every answer of
    each) and of these answers."""
    if question_ids:
        indexing.index_questions(question_ids)
    if answer_ids:
        indexing.index_answers(answer_ids)
    # "Continue learning" of these questions and of those now close to them.
    changed = set(question_ids) | set(
        Answer.objects.filter(pk__in=answer_ids).values_list("question_id", flat=True)
    )
    related.refresh(changed)


@task()
def index_topics(topic_ids: list[int]) -> None:
    """Topic names are part of every document filed under them, and of the
    focus table even for a topic with no questions yet."""
    question_ids = list(
        Question.topics.through.objects.filter(topic_id__in=topic_ids)
        .values_list("question_id", flat=True)
        .distinct()
        .order_by("question_id")
    )
    for start in range(0, len(question_ids), QUESTIONS_PER_STEP):
        indexing.index_questions(question_ids[start : start + QUESTIONS_PER_STEP])
    indexing.bump_version()


@task()
def index_contributor(contributor_id: int) -> None:
    """Search ranks verified contributors' answers higher: their documents
    follow the contributor."""
    answer_ids = list(
        Answer.objects.filter(contributor_id=contributor_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if answer_ids:
        indexing.index_answers(answer_ids)


# Questions per step of the fill of missing "Continue learning" lists.
FILL_STEP = 200


@task()
def find_missing_related() -> None:
    """Store "Continue learning" for every answered question that has none
    (after an import or a reindex), FILL_STEP questions a step, each step
    queueing the next; meanwhile a page finds its own at its first visit.
    Queued hourly by the worker (operations/schedule.py)."""
    _fill_related_from(0)


@task()
def find_missing_related_after(after: int) -> None:
    """A step of find_missing_related: the questions past id `after`."""
    _fill_related_from(after)


def _fill_related_from(after: int) -> None:
    ids = related.missing(after, FILL_STEP)
    if not ids:
        return
    related.fill(ids)
    enqueue_after_commit(find_missing_related_after, ids[-1])
