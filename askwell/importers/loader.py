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

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

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
from askwell.lib.markdown import render_markdown
from askwell.questions.models import Answer, Question, QuestionType
from askwell.search import indexing
from askwell.topics.models import Topic

BATCH_SIZE = 500
KINDS = ("topic", "contributor", "book", "video", "question", "answer")
MODELS: dict[str, type[Any]] = {  # models with the Importable fields, slug, ...
    "topic": Topic,
    "contributor": Contributor,
    "book": Book,
    "video": Video,
    "question": Question,
    "answer": Answer,
}
QUESTION_TYPES = set(QuestionType.values)


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
        reviewed_by_source: bool = True,
    ) -> None:
        """`reviewed_by_source`: new answers count as medically reviewed by the
        organization they come from (reviewed at import time); False puts
        them in the review queue. Answers already imported keep their state."""
        self.strict = strict
        self.reviewed_by_source = reviewed_by_source
        self.batch_size = batch_size
        self.on_record = on_record or (lambda n: None)
        self.summary = Summary()
        self._pks: dict[str, dict[tuple[str, str], int]] = defaultdict(dict)
        self._slugs: dict[str, set[str]] = {}

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

    # --- the generic upsert ------------------------------------------------------

    def _upsert(
        self,
        kind: str,
        items: list[tuple[str, Any, dict[str, Any]]],
        *,
        slug_from: Callable[[Any], str] | None,
        derive: Callable[[models.Model, set[str]], set[str]] | None = None,
        relations: dict[str, Callable[[Any], list[int | None]]] | None = None,
        on_create: dict[str, Any] | None = None,
    ) -> set[int]:
        """Create or update one row per (where, record, fields) item.

        Returns the pks of existing rows whose `depth` changed (topics moved
        by the import), so the caller can fix their subtrees. `on_create`
        fields are set on new rows only (never overwriting later changes).
        """
        model = MODELS[kind]
        manager = model._default_manager
        existing = {
            (obj.source, obj.external_id): obj
            for obj in manager.filter(
                external_id__in=[rec.external_id for _, rec, _ in items]
            )
        }
        to_create: list[models.Model] = []
        to_update: list[models.Model] = []
        queued: set[int] = set()  # id() of every object in to_create or to_update
        update_fields: set[str] = set()
        seen: dict[tuple[str, str], Any] = {}
        by_obj: list[tuple[models.Model, Any, bool]] = []
        moved: set[int] = set()
        for _where, rec, values in items:
            key = (rec.source, rec.external_id)
            obj = seen.get(key) or existing.get(key)
            if obj is None:
                obj = model(
                    source=rec.source,
                    external_id=rec.external_id,
                    **{**(on_create or {}), **values},
                )
                if slug_from is not None:
                    obj.slug = self._new_slug(kind, rec.slug or slug_from(rec))
                if derive:
                    derive(obj, set(values))
                to_create.append(obj)
                queued.add(id(obj))
                by_obj.append((obj, rec, True))
            else:
                changed = {
                    name
                    for name, value in values.items()
                    if getattr(obj, name) != value
                }
                if slug_from is not None and rec.slug and rec.slug != obj.slug:
                    changed.add("slug")
                    obj.slug = self._new_slug(kind, rec.slug)
                for name in changed - {"slug"}:
                    setattr(obj, name, values[name])
                if changed and derive:
                    changed |= derive(obj, changed)
                if changed and id(obj) not in queued:
                    to_update.append(obj)
                    queued.add(id(obj))
                if "depth" in changed:
                    moved.add(obj.pk)
                update_fields |= changed
                by_obj.append((obj, rec, bool(changed)))
            seen[key] = obj
        manager.bulk_create(to_create)
        if to_update:
            if "updated_at" in {f.name for f in model._meta.fields}:
                now = timezone.now()
                for obj in to_update:
                    obj.updated_at = now  # type: ignore[attr-defined]  # rows of models with updated_at (checked above)
                update_fields.add("updated_at")
            manager.bulk_update(to_update, sorted(update_fields))
        relation_changes = self._set_relations(model, by_obj, relations or {})
        created = {id(o) for o in to_create}
        touched: list[int] = []
        for obj, rec, was_changed in by_obj:
            self._pks[kind][(rec.source, rec.external_id)] = obj.pk
            if id(obj) in created:
                self.summary.created[kind] += 1
                created.discard(id(obj))
                touched.append(obj.pk)
            elif was_changed or obj.pk in relation_changes:
                self.summary.updated[kind] += 1
                touched.append(obj.pk)
            else:
                self.summary.unchanged[kind] += 1
        _schedule_search_update(kind, touched)
        return moved

    def _set_relations(
        self,
        model: type[models.Model],
        by_obj: list[tuple[models.Model, Any, bool]],
        relations: dict[str, Callable[[Any], list[int | None]]],
    ) -> set[int]:
        """Make each many-to-many set exactly what the records say; return changed row pks."""
        changed: set[int] = set()
        for name, wanted_for in relations.items():
            through = getattr(model, name).through
            own, other = _through_columns(model, through)
            wanted = {obj.pk: set(wanted_for(rec)) for obj, rec, _ in by_obj}
            current: dict[int, set[int]] = defaultdict(set)
            for row_pk, target in through.objects.filter(
                **{f"{own}__in": wanted}
            ).values_list(own, other):
                current[row_pk].add(target)
            add: list[Any] = []
            remove: list[tuple[int, int | None]] = []
            for pk, targets in wanted.items():
                have = current.get(pk, set())
                add.extend(through(**{own: pk, other: t}) for t in targets - have)
                remove.extend((pk, t) for t in have - targets)
                if targets != have:
                    changed.add(pk)
            through.objects.bulk_create(add)
            for pk, target in remove:
                through.objects.filter(**{own: pk, other: target}).delete()
        return changed

    def _new_slug(self, kind: str, text: str) -> str:
        """A slug not used by any row of `kind`, checked against every slug loaded once."""
        if kind not in self._slugs:
            self._slugs[kind] = set(
                MODELS[kind]._default_manager.values_list("slug", flat=True)
            )
        taken = self._slugs[kind]
        max_length = MODELS[kind]._meta.get_field("slug").max_length - 8
        base = slugify(text)[:max_length].strip("-") or kind
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        return slug

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
            values: dict[str, Any] = {
                "name": rec.name,
                "description": rec.description,
                "other_names": rec.other_names,
                "codes": rec.codes,
            }
            levels[level].append((where, rec, values))
        for level in sorted(levels):
            items = levels[level]
            parents = [
                self._pk("topic", rec.parent) for _, rec, _ in items if rec.parent
            ]
            depths = dict(
                Topic.objects.filter(pk__in=[p for p in parents if p]).values_list(
                    "pk", "depth"
                )
            )
            for _, rec, values in items:
                parent = self._pk("topic", rec.parent)
                values["parent_id"] = parent
                values["depth"] = 0 if parent is None else depths[parent] + 1
            moved = self._upsert("topic", items, slug_from=lambda r: r.name)
            for topic in Topic.objects.filter(pk__in=moved):
                topic.refresh_descendant_depths()

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
            }
            if rec.verified_at is not None or not rec.verified:
                values["verified_at"] = rec.verified_at
            items.append((where, rec, values))
        self._upsert(
            "contributor", items, slug_from=lambda r: r.name, derive=_stamp_verification
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
        self._upsert(
            "book",
            items,
            slug_from=lambda r: r.title,
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
        self._upsert(
            "video",
            items,
            slug_from=lambda r: r.title,
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
        self._upsert(
            "question",
            items,
            slug_from=lambda r: r.title,
            derive=_render_field("details", "details_html"),
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
        self._upsert(
            "answer",
            items,
            slug_from=None,
            derive=_render_field("body", "body_html"),
            on_create=(
                {"review_state": Answer.Review.PUBLISHED, "reviewed_at": timezone.now()}
                if self.reviewed_by_source
                else {"review_state": Answer.Review.PENDING}
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


def _schedule_search_update(kind: str, pks: list[int]) -> None:
    """Refresh the search documents a batch affects, once the batch commits."""
    if not pks:
        return
    if kind == "answer":
        indexing.schedule_answers(pks, embed=False)
    elif kind == "question":
        indexing.schedule_questions(pks, embed=False)
    elif kind == "topic":
        links = Question.topics.through.objects.filter(topic_id__in=pks)
        indexing.schedule_questions(
            links.values_list("question_id", flat=True).distinct()
        )


def _render_field(
    source: str, target: str
) -> Callable[[models.Model, set[str]], set[str]]:
    """Re-render sanitised HTML when its Markdown source is new or changed."""

    def derive(obj: models.Model, changed: set[str]) -> set[str]:
        if source not in changed:
            return set()
        setattr(obj, target, render_markdown(getattr(obj, source)))
        return {target}

    return derive


def _stamp_verification(obj: models.Model, changed: set[str]) -> set[str]:
    """A contributor verified by an import without a date is verified as of now."""
    if obj.is_verified and obj.verified_at is None:  # type: ignore[attr-defined]  # a Contributor row
        obj.verified_at = timezone.now()  # type: ignore[attr-defined]  # a Contributor row
        return {"verified_at"}
    return set()


def _through_columns(
    model: type[models.Model], through: type[models.Model]
) -> tuple[str, str]:
    """The (own, other) id columns of an auto-created many-to-many table."""
    own = other = ""
    for f in through._meta.fields:
        if f.is_relation and f.related_model is model and not own:
            own = f.attname
        elif f.is_relation:
            other = f.attname
    return own, other
