"""Keep the search data in step with the content.

- `index_answers(ids)` / `index_questions(ids)` rewrite the search documents of
  those answers (or of every answer of those questions): published answers are
  (re)written, anything else is removed, and their vectors are computed. A
  change on the site has a background job run them after the commit
  (search/tasks.py, queued by receivers.py); a bulk load (an import) has
  `schedule_*` write the lexical index only, in its own process, after each
  batch commits, and computes the vectors as a step of its own.
- `embed_pending()` computes the vectors that are missing or stale; it commits
  batch by batch, so it can be stopped and resumed at any time.
- `reindex()` rebuilds everything; `run_embeddings(stdout)` is embed_pending()
  with its progress written out, as the commands run it.

Search never trusts this data for visibility: every result is checked
against the live answer status when it is fetched, so a hidden answer
disappears at once even before its document is removed.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Prefetch, QuerySet

from askwell.language.text import text_hash
from askwell.lib.markdown import html_to_text
from askwell.lib.progress import Progress as ProgressReport
from askwell.questions.models import Answer, Question
from askwell.search import vector_index
from askwell.search.backends import DocumentText, backend
from askwell.search.embeddings import Embedder, get_embedder
from askwell.search.models import IndexState, QuestionVector, SearchDocument
from askwell.search.vectors import to_blob
from askwell.topics.models import Topic

BATCH = 500
EMBED_BATCH = 512
# The passage embedded for an answer: its question, then the opening of the answer.
PASSAGE_WORDS = 48

Progress = Callable[[int], None]


def bump_version() -> None:
    """Tell every process that search data changed (see vectors.CachedMatrix).

    The new version is random rather than a count, so a rolled-back
    transaction can never bring back a number a process has cached.
    """
    version = secrets.randbits(62)
    if not IndexState.objects.filter(pk=1).update(version=version):
        IndexState.objects.update_or_create(pk=1, defaults={"version": version})


def forget_cached_state() -> None:
    """Drop every per-process cache keyed by the index version.

    Versions are random and never come back in normal running, so the caches
    need no other invalidation. Tests are the exception: rolling a test back
    restores an earlier version after search data changed without a bump,
    so the test suite calls this before each test.
    """
    from askwell.search import engine, phrases, snapshot, spelling
    from askwell.search.backends import postgres, sqlite

    engine.forget_related()
    spelling.forget()
    snapshot.forget()
    phrases.forget_phrases()
    sqlite.forget_frequencies()
    postgres.forget_frequencies()
    vector_index.forget_matrices()


def current_version() -> int:
    return (
        IndexState.objects.filter(pk=1).values_list("version", flat=True).first() or 0
    )


def schedule_answers(answer_ids: Iterable[int]) -> None:
    """For bulk loads: index these answers lexically once the transaction
    commits, in this process (no embeddings)."""
    ids = list(answer_ids)
    if ids:
        transaction.on_commit(lambda: index_answers(ids, embed=False))


def schedule_questions(question_ids: Iterable[int]) -> None:
    """For bulk loads: schedule_answers() for every answer of these questions."""
    ids = list(question_ids)
    if ids:
        transaction.on_commit(lambda: index_questions(ids, embed=False))


def index_questions(question_ids: Iterable[int], *, embed: bool = True) -> None:
    ids = list(question_ids)
    answer_ids = list(
        Answer.objects.filter(question_id__in=ids).values_list("pk", flat=True)
    )
    gone = set(
        SearchDocument.objects.filter(question_id__in=ids).values_list(
            "answer_id", flat=True
        )
    )
    # The title may have changed, or the question lost its last answer: its
    # vector is made again (or not) from what the documents now say.
    QuestionVector.objects.filter(question_id__in=ids).delete()
    index_answers(sorted(set(answer_ids) | gone), question_ids=ids, embed=embed)


def index_answers(
    answer_ids: Iterable[int],
    *,
    question_ids: list[int] | None = None,
    embed: bool = True,
) -> None:
    """Write the documents of published answers among `answer_ids`; drop the
    rest; with `embed`, compute their vectors and their questions' (those of
    `question_ids`, or the answers' own questions).

    Imports pass embed=False and compute vectors with `embed_pending()` as a
    step of their own. Ids are handled BATCH at a time.
    """
    ids = list(answer_ids)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        with transaction.atomic():
            _index_chunk(chunk)
    if embed:
        questions = (
            question_ids
            if question_ids is not None
            else [
                pk
                for start in range(0, len(ids), BATCH)
                for pk in _question_ids(ids[start : start + BATCH])
            ]
        )
        for start in range(0, max(len(ids), len(questions)), BATCH):
            embed_pending(
                answer_ids=ids[start : start + BATCH],
                question_ids=questions[start : start + BATCH],
            )
    if ids or question_ids:
        bump_version()


def index_now(question_ids: list[int], answer_ids: list[int]) -> None:
    """Index these answers and embed them and these questions now, in the
    caller's transaction, however many there are (no after-commit
    scheduling, no inline-embedding limit)."""
    index_answers(answer_ids, embed=False)
    embed_pending(answer_ids=answer_ids, question_ids=question_ids)


def _question_ids(answer_ids: list[int]) -> list[int]:
    return list(
        SearchDocument.objects.filter(answer_id__in=answer_ids).values_list(
            "question_id", flat=True
        )
    )


def _answers(ids: list[int] | None = None) -> Iterator[Answer]:
    topics = Prefetch(
        "question__topics", queryset=Topic.objects.only("name", "other_names")
    )
    answers = (
        Answer.objects.published().select_related("question").prefetch_related(topics)
    )
    if ids is not None:
        answers = answers.filter(pk__in=ids)
    return answers.order_by("pk").iterator(chunk_size=BATCH)


def _document(answer: Answer) -> SearchDocument:
    question = answer.question
    topic_names: list[str] = []
    for topic in question.topics.all():
        topic_names.append(topic.name)
        topic_names.extend(topic.other_names)
    return SearchDocument(
        answer_id=answer.pk,
        question_id=question.pk,
        title=question.title,
        body=html_to_text(answer.body_html),
        topics="; ".join(dict.fromkeys(topic_names)),
        question_type=question.question_type,
    )


def passage(document: SearchDocument) -> str:
    """The text whose embedding stands for an answer."""
    opening = " ".join(document.body.split()[:PASSAGE_WORDS])
    return f"{document.title} {opening}"


def _index_chunk(ids: list[int]) -> None:
    documents = [_document(a) for a in _answers(ids)]
    _write(documents)
    published = {d.answer_id for d in documents}
    dropped = [pk for pk in ids if pk not in published]
    if dropped:
        SearchDocument.objects.filter(answer_id__in=dropped).delete()
        backend().delete(dropped)


def _write(documents: list[SearchDocument]) -> None:
    """Upsert documents, keeping a stored vector when its passage is unchanged."""
    if not documents:
        return
    kept = dict(
        SearchDocument.objects.filter(
            answer_id__in=[d.answer_id for d in documents]
        ).values_list("answer_id", "embedded_text_hash")
    )
    stale = [
        d.answer_id
        for d in documents
        if kept.get(d.answer_id) and kept[d.answer_id] != text_hash(passage(d))
    ]
    SearchDocument.objects.bulk_create(
        documents,
        update_conflicts=True,
        unique_fields=["answer"],
        update_fields=["question", "title", "body", "topics", "question_type"],
    )
    if stale:
        SearchDocument.objects.filter(answer_id__in=stale).update(
            embedding=None, embedded_text_hash=""
        )
        vector_index.forget("passage", stale)
    backend().write(
        [DocumentText(d.answer_id, d.title, d.body, d.topics) for d in documents]
    )


def refresh_statistics() -> None:
    """After a bulk change (an import): let the lexical backend recount its words."""
    backend().analyze()
    bump_version()


def reindex(*, progress: Progress | None = None) -> int:
    """Rebuild every search document from the content; returns how many were written."""
    advance = progress or (lambda n: None)
    with transaction.atomic():
        # Documents of answers that are gone or no longer published.
        SearchDocument.objects.exclude(Answer.published_q("answer__")).delete()
        backend().clear()
    written = 0
    batch: list[SearchDocument] = []
    for answer in _answers():
        batch.append(_document(answer))
        if len(batch) >= BATCH:
            with transaction.atomic():
                _write(batch)
            written += len(batch)
            advance(len(batch))
            batch = []
    if batch:
        with transaction.atomic():
            _write(batch)
        written += len(batch)
        advance(len(batch))
    backend().analyze()
    bump_version()
    return written


# Vectors this process already computed, by text hash: re-indexing unchanged
# text (a reindex, a re-import, the demo loaded again) costs no model time.
_VECTOR_CACHE: dict[str, np.ndarray] = {}
_VECTOR_CACHE_SIZE = 20_000


def _embed(embedder: Embedder, texts: list[str]) -> list[np.ndarray]:
    keys = [text_hash(t) for t in texts]
    missing = [i for i, key in enumerate(keys) if key not in _VECTOR_CACHE]
    if missing:
        fresh = embedder.embed([texts[i] for i in missing])
        if len(_VECTOR_CACHE) + len(missing) > _VECTOR_CACHE_SIZE:
            _VECTOR_CACHE.clear()
        for i, vector in zip(missing, fresh, strict=True):
            _VECTOR_CACHE[keys[i]] = vector
    return [_VECTOR_CACHE[key] for key in keys]


def _documents_to_embed() -> QuerySet[SearchDocument]:
    return SearchDocument.objects.filter(embedding__isnull=True)


def _questions_to_embed() -> QuerySet[Question]:
    return Question.objects.filter(
        pk__in=SearchDocument.objects.values("question_id")
    ).exclude(pk__in=QuestionVector.objects.values("question_id"))


def count_pending_embeddings() -> int:
    return _documents_to_embed().count() + _questions_to_embed().count()


def embed_pending(
    *,
    progress: Progress | None = None,
    batch_size: int = EMBED_BATCH,
    answer_ids: list[int] | None = None,
    question_ids: list[int] | None = None,
) -> int:
    """Compute missing vectors, committing each batch; returns how many were made.

    Limited to the given answers and questions when ids are passed. Does
    nothing (returns 0) when no embedding model is installed.
    """
    embedder = get_embedder()
    if embedder is None:
        return 0
    advance = progress or (lambda n: None)
    documents_left = _documents_to_embed()
    questions_left = _questions_to_embed()
    if answer_ids is not None:
        documents_left = documents_left.filter(answer_id__in=answer_ids)
    if question_ids is not None:
        questions_left = questions_left.filter(pk__in=question_ids)
    made = 0
    while batch := list(
        documents_left.only("answer_id", "title", "body").order_by("answer_id")[
            :batch_size
        ]
    ):
        passages = [passage(d) for d in batch]
        vectors = _embed(embedder, passages)
        for document, text, vector in zip(batch, passages, vectors, strict=True):
            document.embedding = to_blob(vector)
            document.embedded_text_hash = text_hash(text)
        with transaction.atomic():
            SearchDocument.objects.bulk_update(
                batch, ["embedding", "embedded_text_hash"]
            )
            vector_index.store(
                "passage",
                [(d.answer_id, v) for d, v in zip(batch, vectors, strict=True)],
            )
        made += len(batch)
        advance(len(batch))
    # Question titles: for similar-question detection and question-level matching.
    while questions := list(
        questions_left.only("pk", "title").order_by("pk")[:batch_size]
    ):
        vectors = _embed(embedder, [q.title for q in questions])
        with transaction.atomic():
            QuestionVector.objects.bulk_create(
                [
                    QuestionVector(
                        question_id=q.pk,
                        embedding=to_blob(v),
                        text_hash=text_hash(q.title),
                    )
                    for q, v in zip(questions, vectors, strict=True)
                ],
                update_conflicts=True,
                unique_fields=["question"],
                update_fields=["embedding", "text_hash"],
            )
            vector_index.store(
                "title", [(q.pk, v) for q, v in zip(questions, vectors, strict=True)]
            )
        made += len(questions)
        advance(len(questions))
    if made:
        bump_version()
    return made


def run_embeddings(stdout: Any) -> int:
    """What the `reindex` and `import` commands run last: embed_pending(), its
    progress written to `stdout`; says so when there was nothing to do or no
    model to do it with. Returns how many vectors were made."""
    pending = count_pending_embeddings()
    if not pending:
        stdout.write("Embeddings: all up to date.")
        return 0
    progress = ProgressReport("Computing embeddings", pending, stdout)
    made = embed_pending(progress=progress.advance)
    progress.close()
    if made == 0:
        stdout.write(
            "Embeddings skipped: no embedding model is installed (search is lexical only)."
        )
    return made
