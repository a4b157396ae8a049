"""Load canonical records into the database: idempotent, batched, all-or-nothing per batch.

Records are matched to rows by (source, external_id): a new key creates a row,
a known key updates the fields that differ, an identical record changes
nothing. Records are written in batches of one type, each batch in its own
transaction, so an import killed at any moment leaves every batch either
fully written or not at all, and running it again completes it.

A record that cannot be loaded (invalid, or pointing at something that does
not exist) is skipped with a reason; with `strict=True` the first such record
stops the import instead.
"""

from __future__ import annotations

import enum
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from askwell.core.importing import Imported, ImportRow, Slugs
from askwell.experts.actions import (
    import_books_batch,
    import_contributors_batch,
    import_videos_batch,
)
from askwell.experts.models import Book, Contributor, Video
from askwell.importers.jsonl import Problem
from askwell.importers.records import (
    AnswerRecord,
    BookRecord,
    ContributorRecord,
    QuestionRecord,
    Record,
    Ref,
    TopicRecord,
    VideoRecord,
)
from askwell.questions.actions import import_answers_batch, import_questions_batch
from askwell.questions.models import Answer, Question, QuestionType
from askwell.topics.actions import import_topics_batch
from askwell.topics.models import Topic

BATCH_SIZE = 500
KINDS = ("topic", "contributor", "book", "video", "question", "answer")
MODELS: dict[str, type[models.Model]] = {
    "topic": Topic,
    "contributor": Contributor,
    "book": Book,
    "video": Video,
    "question": Question,
    "answer": Answer,
}
QUESTION_TYPES = set(QuestionType.values)


class NewAnswers(enum.Enum):
    """Where answers new to the database stand in medical review."""

    # Reviewed by the organization they come from, at import time (default).
    REVIEWED_BY_SOURCE = "reviewed by source"
    # Waiting in the medical review queue (`import --unreviewed`).
    PENDING = "pending"
    # Published, never reviewed here: due for review by their age (the demo).
    PUBLISHED = "published"

    def review(self, now: datetime) -> tuple[str, datetime | None]:
        """The (review_state, reviewed_at) a new answer gets."""
        if self is NewAnswers.PENDING:
            return Answer.Review.PENDING, None
        if self is NewAnswers.PUBLISHED:
            return Answer.Review.PUBLISHED, None
        return Answer.Review.PUBLISHED, now


class StrictStop(Exception):
    """Raised under `strict=True` at the first record that cannot be loaded."""

    def __init__(self, problem: Problem, record: Record | None = None) -> None:
        super().__init__(str(problem))
        self.problem = problem
        self.record = record


@dataclass
class Summary:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    skipped: list[Problem] = field(default_factory=list)

    @property
    def total(self) -> int:
        return (
            sum(self.created.values())
            + sum(self.updated.values())
            + sum(self.unchanged.values())
        )

    def lines(self) -> list[str]:
        rows = [f"{'':<12}{'created':>9}{'updated':>9}{'unchanged':>11}"]
        for kind in KINDS:
            counts = (self.created[kind], self.updated[kind], self.unchanged[kind])
            if any(counts):
                rows.append(
                    f"{kind + 's':<12}{counts[0]:>9}{counts[1]:>9}{counts[2]:>11}"
                )
        rows.append(f"skipped: {len(self.skipped)}")
        reasons = Counter(_reason(p.message) for p in self.skipped)
        rows.extend(f"  {n} × {reason}" for reason, n in reasons.most_common())
        return rows


def _reason(message: str) -> str:
    """The kind of problem, without the record's own id: for grouping in the summary."""
    return message.split(": ", 1)[-1] if "'" in message.split(": ", 1)[0] else message


@dataclass
class _Pending:
    kind: str
    records: list[tuple[str, Record]] = field(default_factory=list)


class Loader:
    """Loads a stream of records (and Problems) and counts what happened."""

    def __init__(
        self,
        *,
        strict: bool = False,
        batch_size: int = BATCH_SIZE,
        on_record: Callable[[int], None] | None = None,
        new_answers: NewAnswers = NewAnswers.REVIEWED_BY_SOURCE,
    ) -> None:
        """`new_answers`: where answers new to the database stand in medical
        review (see NewAnswers). Answers already imported keep their state."""
        self.strict = strict
        self.new_answers = new_answers
        self.batch_size = batch_size
        self.on_record = on_record or (lambda n: None)
        self.summary = Summary()
        self._pks: dict[str, dict[tuple[str, str], int]] = defaultdict(dict)
        self._slugs = Slugs()

    def load(self, items: Iterable[Record | Problem | tuple[str, Record]]) -> Summary:
        """Load everything. A bare Record is described by its type and external id."""
        pending: _Pending | None = None
        for item in items:
            if isinstance(item, Problem):
                if self.strict and pending:
                    # What was read before the bad line is loaded first.
                    self._flush(pending)
                    pending = None
                self._skip(item)
                self.on_record(1)
                continue
            where, record = item if isinstance(item, tuple) else ("", item)
            if (
                pending is None
                or pending.kind != record.type
                or len(pending.records) >= self.batch_size
            ):
                if pending:
                    self._flush(pending)
                pending = _Pending(record.type)
            pending.records.append((where, record))
        if pending:
            self._flush(pending)
        return self.summary

    # --- batches -----------------------------------------------------------------

    def _flush(self, pending: _Pending) -> None:
        handler: Callable[[list[tuple[str, Any]]], None] = getattr(
            self, f"_load_{pending.kind}s"
        )
        try:
            with transaction.atomic():
                handler(pending.records)
        except StrictStop as stop:
            # The batch was rolled back; keep the records before the bad one.
            before = [
                i for i, (_, rec) in enumerate(pending.records) if rec is stop.record
            ]
            if before and before[0] > 0:
                with transaction.atomic():
                    handler(pending.records[: before[0]])
            raise
        self.on_record(len(pending.records))

    def _skip(self, problem: Problem, record: Record | None = None) -> None:
        if self.strict:
            raise StrictStop(problem, record)
        self.summary.skipped.append(problem)

    def _problem(self, where: str, record: Record, message: str) -> None:
        label = f"{record.type} {record.external_id!r}"
        where = where or f"{record.source}/{record.external_id}"
        self._skip(Problem(where, f"{label}: {message}"), record)

    # --- references --------------------------------------------------------------

    def _resolve(self, kind: str, refs: Iterable[Ref]) -> None:
        """Look up, in one query, the keys of `refs` not seen yet in this run."""
        known = self._pks[kind]
        missing = {(r.source, r.external_id) for r in refs} - known.keys()
        if not missing:
            return
        model = MODELS[kind]
        rows = model._default_manager.filter(
            external_id__in={ext for _, ext in missing}
        ).values_list("source", "external_id", "pk")
        for source, ext, pk in rows:
            if (source, ext) in missing:
                known[(source, ext)] = pk

    def _pk(self, kind: str, ref: Ref | None) -> int | None:
        return (
            None if ref is None else self._pks[kind].get((ref.source, ref.external_id))
        )

    # --- writing, through each app's batch action --------------------------------

    def _write(
        self,
        kind: str,
        items: list[tuple[str, Any, dict[str, Any]]],
        write: Callable[[list[ImportRow]], list[Imported]],
        relations: dict[str, Callable[[Any], list[int]]] | None = None,
    ) -> list[Imported]:
        """Write one (where, record, values) item per row through `write`
        (an app's import_*_batch action) and count what became of each."""
        rows = [
            ImportRow(
                source=rec.source,
                external_id=rec.external_id,
                values=values,
                slug=getattr(rec, "slug", None),
                relations={
                    name: wanted(rec) for name, wanted in (relations or {}).items()
                },
            )
            for _, rec, values in items
        ]
        imported = write(rows) if rows else []
        for (_, rec, _), outcome in zip(items, imported, strict=True):
            self._pks[kind][(rec.source, rec.external_id)] = outcome.pk
            if outcome.created:
                self.summary.created[kind] += 1
            elif outcome.changed:
                self.summary.updated[kind] += 1
            else:
                self.summary.unchanged[kind] += 1
        return imported

    # --- one loader per record type --------------------------------------------------

    def _load_topics(self, records: list[tuple[str, TopicRecord]]) -> None:
        self._resolve("topic", [r.parent for _, r in records if r.parent])
        # A parent in the same batch must be written before its children:
        # group the batch into levels by distance from a known parent.
        levels: dict[int, list[tuple[str, TopicRecord, dict[str, Any]]]] = defaultdict(
            list
        )
        level_of: dict[tuple[str, str], int] = {}
        for where, rec in records:
            level = 0
            if rec.parent:
                parent_key = (rec.parent.source, rec.parent.external_id)
                if parent_key in level_of:
                    level = level_of[parent_key] + 1
                elif self._pk("topic", rec.parent) is None:
                    self._problem(
                        where,
                        rec,
                        f"parent topic {rec.parent.source}/{rec.parent.external_id} not found",
                    )
                    continue
            level_of[(rec.source, rec.external_id)] = level
            values = {
                "name": rec.name,
                "description": rec.description,
                "other_names": rec.other_names,
                "codes": rec.codes,
            }
            levels[level].append((where, rec, values))
        for level in sorted(levels):
            items = levels[level]
            for _, rec, values in items:
                values["parent_id"] = self._pk("topic", rec.parent)
            self._write(
                "topic",
                items,
                lambda rows: import_topics_batch(rows, slugs=self._slugs),
            )

    def _load_contributors(self, records: list[tuple[str, ContributorRecord]]) -> None:
        items = []
        for where, rec in records:
            values: dict[str, Any] = {
                "kind": rec.kind,
                "name": rec.name,
                "credentials": rec.credentials,
                "specialty": rec.specialty,
                "bio": rec.bio,
                "website": rec.website,
                "photo": rec.photo,
                "is_verified": rec.verified,
                "verified_at": rec.verified_at,
            }
            items.append((where, rec, values))
        self._write(
            "contributor",
            items,
            lambda rows: import_contributors_batch(rows, slugs=self._slugs),
        )

    def _load_books(self, records: list[tuple[str, BookRecord]]) -> None:
        self._resolve("contributor", [a for _, r in records for a in r.authors])
        items = []
        for where, rec in records:
            missing = [a for a in rec.authors if self._pk("contributor", a) is None]
            if missing:
                self._problem(
                    where,
                    rec,
                    f"author {missing[0].source}/{missing[0].external_id} not found",
                )
                continue
            values = {
                "title": rec.title,
                "description": rec.description,
                "cover": rec.cover,
                "link": rec.link,
                "published_year": rec.published_year,
            }
            items.append((where, rec, values))
        self._write(
            "book",
            items,
            lambda rows: import_books_batch(rows, slugs=self._slugs),
            relations={
                "authors": lambda r: [self._pk("contributor", a) for a in r.authors]
            },
        )

    def _load_videos(self, records: list[tuple[str, VideoRecord]]) -> None:
        self._resolve("contributor", [r.presenter for _, r in records if r.presenter])
        self._resolve("topic", [t for _, r in records for t in r.topics])
        items = []
        for where, rec in records:
            presenter = self._pk("contributor", rec.presenter)
            if rec.presenter and presenter is None:
                self._problem(
                    where,
                    rec,
                    f"presenter {rec.presenter.source}/{rec.presenter.external_id} not found",
                )
                continue
            if not self._topics_known(where, rec):
                continue
            values = {
                "title": rec.title,
                "presenter_id": presenter,
                "description": rec.description,
                "duration": None
                if rec.duration_seconds is None
                else timedelta(seconds=rec.duration_seconds),
                "media_url": rec.media_url,
                "transcript": rec.transcript,
            }
            items.append((where, rec, values))
        self._write(
            "video",
            items,
            lambda rows: import_videos_batch(rows, slugs=self._slugs),
            relations={"topics": lambda r: [self._pk("topic", t) for t in r.topics]},
        )

    def _load_questions(self, records: list[tuple[str, QuestionRecord]]) -> None:
        self._resolve("topic", [t for _, r in records for t in r.topics])
        items = []
        for where, rec in records:
            if rec.question_type not in QUESTION_TYPES:
                self._problem(
                    where, rec, f"unknown question_type {rec.question_type!r}"
                )
                continue
            if not self._topics_known(where, rec):
                continue
            values: dict[str, Any] = {
                "title": rec.title,
                "details": rec.details,
                "question_type": rec.question_type,
                "status": rec.status,
                "view_count": rec.view_count,
            }
            if rec.created_at is not None:
                values["created_at"] = rec.created_at
            items.append((where, rec, values))
        self._write(
            "question",
            items,
            lambda rows: import_questions_batch(rows, slugs=self._slugs),
            relations={"topics": lambda r: [self._pk("topic", t) for t in r.topics]},
        )

    def _load_answers(self, records: list[tuple[str, AnswerRecord]]) -> None:
        self._resolve("question", [r.question for _, r in records])
        self._resolve("contributor", [r.contributor for _, r in records])
        self._resolve("book", [r.source_book for _, r in records if r.source_book])
        items = []
        for where, rec in records:
            question = self._pk("question", rec.question)
            contributor = self._pk("contributor", rec.contributor)
            book = self._pk("book", rec.source_book)
            if question is None:
                self._problem(
                    where,
                    rec,
                    f"question {rec.question.source}/{rec.question.external_id} not found",
                )
                continue
            if contributor is None:
                self._problem(
                    where,
                    rec,
                    f"contributor {rec.contributor.source}/{rec.contributor.external_id} not found",
                )
                continue
            if rec.source_book and book is None:
                self._problem(
                    where,
                    rec,
                    f"book {rec.source_book.source}/{rec.source_book.external_id} not found",
                )
                continue
            values: dict[str, Any] = {
                "question_id": question,
                "contributor_id": contributor,
                "body": rec.body,
                "stance": rec.stance,
                "status": rec.status,
                "source_url": rec.source_url,
                "source_book_id": book,
            }
            if rec.created_at is not None:
                values["created_at"] = rec.created_at
            items.append((where, rec, values))
        review_state, reviewed_at = self.new_answers.review(timezone.now())
        self._write(
            "answer",
            items,
            lambda rows: import_answers_batch(
                rows, review_state=review_state, reviewed_at=reviewed_at
            ),
        )

    def _topics_known(self, where: str, rec: VideoRecord | QuestionRecord) -> bool:
        for ref in rec.topics:
            if self._pk("topic", ref) is None:
                self._problem(
                    where, rec, f"topic {ref.source}/{ref.external_id} not found"
                )
                return False
        return True
