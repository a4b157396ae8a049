"""Each record type, once: the model it loads into, how its fields map onto
the model's, and the app action that writes a batch of it.

The exporter turns rows into records (`Kind.to_record`) and the loader
records into rows (`Kind.values`) with these same declarations, so a field
is mapped in one place. A new field is added to its record type
(records.py), to the model, and to its kind's `fields` here.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import models
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from pydantic import BaseModel

from askwell.core.importing import Imported, ImportRow, Slugs
from askwell.experts import actions as experts_actions
from askwell.experts.models import Book, Contributor, Video
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
from askwell.questions import actions as questions_actions
from askwell.questions.models import Answer, Question, QuestionType
from askwell.topics import actions as topics_actions
from askwell.topics.models import Topic


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


@dataclass(frozen=True)
class Run:
    """What every batch of one import shares."""

    slugs: Slugs
    new_answers: NewAnswers = NewAnswers.REVIEWED_BY_SOURCE


@dataclass(frozen=True)
class Field:
    """A record field stored in one model field."""

    name: str
    # The model field, when it is named differently.
    column: str = ""
    to_model: Callable[[Any], Any] | None = None
    to_record: Callable[[Any], Any] | None = None
    # None in a record leaves the row's value as it is (a date the source
    # did not keep).
    none_keeps: bool = False
    # The values the model accepts, when the record type leaves it open.
    choices: frozenset[str] | None = None

    @property
    def attr(self) -> str:
        return self.column or self.name


@dataclass(frozen=True)
class Link:
    """A record field that refers to other records: one Ref (the model's
    foreign key of the same name) or a list of them (its many-to-many
    relation of the same name)."""

    name: str
    kind: str
    # How a problem names a missing one, e.g. "parent topic".
    label: str
    many: bool = False

    def refs(self, record: Any) -> list[Ref]:
        value = getattr(record, self.name)
        if self.many:
            return list(value)
        return [] if value is None else [value]


PkOf = Callable[[str, Ref | None], int | None]


@dataclass(frozen=True)
class Kind:
    name: str
    record: type[BaseModel]
    model: type[models.Model]
    fields: tuple[Field, ...]
    write: Callable[[list[ImportRow], Run], list[Imported]]
    links: tuple[Link, ...] = ()
    has_slug: bool = True
    export_order: tuple[str, ...] = ("source", "external_id")

    def values(self, record: Any, pk_of: PkOf) -> ImportRow:
        """The row `record` asks for; `pk_of(kind, ref)` finds what it links to."""
        values: dict[str, Any] = {}
        for field in self.fields:
            value = getattr(record, field.name)
            if value is None and field.none_keeps:
                continue
            values[field.attr] = field.to_model(value) if field.to_model else value
        relations: dict[str, list[int]] = {}
        for link in self.links:
            if link.many:
                relations[link.name] = [
                    pk for ref in link.refs(record) if (pk := pk_of(link.kind, ref))
                ]
            else:
                values[f"{link.name}_id"] = pk_of(link.kind, getattr(record, link.name))
        return ImportRow(
            source=record.source,
            external_id=record.external_id,
            values=values,
            slug=record.slug if self.has_slug else None,
            relations=relations,
        )

    def export_rows(self) -> QuerySet[Any]:
        """Every row, in export order, with what to_record reads and nothing more."""
        keys = ("source", "external_id")
        single = [link.name for link in self.links if not link.many]
        many = [link for link in self.links if link.many]
        columns = [*keys, *(["slug"] if self.has_slug else [])]
        columns += [field.attr for field in self.fields]
        columns += [f"{name}__{key}" for name in single for key in keys]
        rows = self.model._default_manager.select_related(*single).only(*columns)
        for link in many:
            target = KINDS[link.kind].model._default_manager.only(*keys)
            rows = rows.prefetch_related(Prefetch(link.name, queryset=target))
        return rows.order_by(*self.export_order)

    def to_record(self, obj: Any) -> Record:
        """The record of a row loaded by export_rows()."""
        data: dict[str, Any] = {
            "type": self.name,
            "source": obj.source,
            "external_id": obj.external_id,
        }
        if self.has_slug:
            data["slug"] = obj.slug
        for field in self.fields:
            value = getattr(obj, field.attr)
            data[field.name] = field.to_record(value) if field.to_record else value
        for link in self.links:
            if link.many:
                refs = (_ref(o) for o in getattr(obj, link.name).all())
                data[link.name] = sorted(refs, key=lambda r: (r.source, r.external_id))
            else:
                target = getattr(obj, link.name)
                data[link.name] = None if target is None else _ref(target)
        return self.record(**data)  # type: ignore[return-value]  # self.record is one of Record's members


def _ref(obj: Any) -> Ref:
    return Ref(source=obj.source, external_id=obj.external_id)


def _file_name(file: Any) -> str:
    return file.name or ""


def _seconds(duration: timedelta | None) -> int | None:
    return None if duration is None else int(duration.total_seconds())


def _duration(seconds: int | None) -> timedelta | None:
    return None if seconds is None else timedelta(seconds=seconds)


def _answers(rows: list[ImportRow], run: Run) -> list[Imported]:
    review_state, reviewed_at = run.new_answers.review(timezone.now())
    return questions_actions.import_answers_batch(
        rows, review_state=review_state, reviewed_at=reviewed_at
    )


# In the order an export writes them and an import needs them: a record
# refers only to kinds before its own (a topic to earlier topics).
KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "topic",
            TopicRecord,
            Topic,
            fields=(
                Field("name"),
                Field("description"),
                Field("other_names"),
                Field("codes"),
            ),
            links=(Link("parent", "topic", "parent topic"),),
            write=lambda rows, run: topics_actions.import_topics_batch(
                rows, slugs=run.slugs
            ),
            # Parents first: an import of the export finds each parent.
            export_order=("depth", "source", "external_id"),
        ),
        Kind(
            "contributor",
            ContributorRecord,
            Contributor,
            fields=(
                Field("kind"),
                Field("name"),
                Field("credentials"),
                Field("specialty"),
                Field("bio"),
                Field("website"),
                Field("photo", to_record=_file_name),
                Field("verified", column="is_verified"),
                Field("verified_at"),
            ),
            write=lambda rows, run: experts_actions.import_contributors_batch(
                rows, slugs=run.slugs
            ),
        ),
        Kind(
            "book",
            BookRecord,
            Book,
            fields=(
                Field("title"),
                Field("description"),
                Field("cover", to_record=_file_name),
                Field("link"),
                Field("published_year"),
            ),
            links=(Link("authors", "contributor", "author", many=True),),
            write=lambda rows, run: experts_actions.import_books_batch(
                rows, slugs=run.slugs
            ),
        ),
        Kind(
            "video",
            VideoRecord,
            Video,
            fields=(
                Field("title"),
                Field("description"),
                Field(
                    "duration_seconds",
                    column="duration",
                    to_model=_duration,
                    to_record=_seconds,
                ),
                Field("media_url"),
                Field("transcript"),
            ),
            links=(
                Link("presenter", "contributor", "presenter"),
                Link("topics", "topic", "topic", many=True),
            ),
            write=lambda rows, run: experts_actions.import_videos_batch(
                rows, slugs=run.slugs
            ),
        ),
        Kind(
            "question",
            QuestionRecord,
            Question,
            fields=(
                Field("title"),
                Field("details"),
                Field("question_type", choices=frozenset(QuestionType.values)),
                Field("status"),
                Field("view_count"),
                Field("created_at", none_keeps=True),
            ),
            links=(Link("topics", "topic", "topic", many=True),),
            write=lambda rows, run: questions_actions.import_questions_batch(
                rows, slugs=run.slugs
            ),
        ),
        Kind(
            "answer",
            AnswerRecord,
            Answer,
            fields=(
                Field("body"),
                Field("stance"),
                Field("status"),
                Field("source_url"),
                Field("created_at", none_keeps=True),
            ),
            links=(
                Link("question", "question", "question"),
                Link("contributor", "contributor", "contributor"),
                Link("source_book", "book", "book"),
            ),
            write=_answers,
            has_slug=False,
        ),
    )
}
