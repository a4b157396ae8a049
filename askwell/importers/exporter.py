"""Export everything as canonical records, in an order an import can replay.

Topics come parents first, then contributors, books, videos, questions and
answers; within a type, rows are ordered by (source, external_id) so two
exports of the same content are byte-for-byte identical.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Prefetch

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
from askwell.questions.models import Answer, Question
from askwell.topics.models import Topic

CHUNK = 2000
ORDER = ("source", "external_id")


def _ref(obj: object | None) -> Ref | None:
    if obj is None:
        return None
    return Ref(source=obj.source, external_id=obj.external_id)  # type: ignore[attr-defined]  # an Importable row


def _refs(objects: object) -> list[Ref]:
    return sorted(
        (Ref(source=o.source, external_id=o.external_id) for o in objects.all()),  # type: ignore[attr-defined]  # Importable rows of a related manager
        key=lambda r: (r.source, r.external_id),
    )


def count_rows() -> int:
    return sum(
        m.objects.count() for m in (Topic, Contributor, Book, Video, Question, Answer)
    )


def export_records() -> Iterator[Record]:
    only_keys = Prefetch("topics", queryset=Topic.objects.only("source", "external_id"))
    for topic in (
        Topic.objects.select_related("parent").order_by("depth", *ORDER).iterator(CHUNK)
    ):
        yield TopicRecord(
            type="topic",
            source=topic.source,
            external_id=topic.external_id,
            name=topic.name,
            slug=topic.slug,
            description=topic.description,
            parent=_ref(topic.parent),
            other_names=topic.other_names,
            codes=topic.codes,
        )
    for person in Contributor.objects.order_by(*ORDER).iterator(CHUNK):
        yield ContributorRecord(
            type="contributor",
            source=person.source,
            external_id=person.external_id,
            kind=person.kind,  # type: ignore[arg-type]  # a field choice; pydantic checks the Literal
            name=person.name,
            slug=person.slug,
            credentials=person.credentials,
            specialty=person.specialty,
            bio=person.bio,
            website=person.website,
            photo=person.photo.name or "",
            verified=person.is_verified,
            verified_at=person.verified_at,
        )
    authors = Prefetch(
        "authors", queryset=Contributor.objects.only("source", "external_id")
    )
    for book in Book.objects.prefetch_related(authors).order_by(*ORDER).iterator(CHUNK):
        yield BookRecord(
            type="book",
            source=book.source,
            external_id=book.external_id,
            title=book.title,
            slug=book.slug,
            authors=_refs(book.authors),
            description=book.description,
            cover=book.cover.name or "",
            link=book.link,
            published_year=book.published_year,
        )
    videos = Video.objects.select_related("presenter").prefetch_related(only_keys)
    for video in videos.order_by(*ORDER).iterator(CHUNK):
        yield VideoRecord(
            type="video",
            source=video.source,
            external_id=video.external_id,
            title=video.title,
            slug=video.slug,
            presenter=_ref(video.presenter),
            topics=_refs(video.topics),
            description=video.description,
            duration_seconds=None
            if video.duration is None
            else int(video.duration.total_seconds()),
            media_url=video.media_url,
            transcript=video.transcript,
        )
    for question in (
        Question.objects.prefetch_related(only_keys).order_by(*ORDER).iterator(CHUNK)
    ):
        yield QuestionRecord(
            type="question",
            source=question.source,
            external_id=question.external_id,
            title=question.title,
            slug=question.slug,
            details=question.details,
            question_type=question.question_type,
            status=question.status,  # type: ignore[arg-type]  # a field choice; pydantic checks the Literal
            topics=_refs(question.topics),
            view_count=question.view_count,
            created_at=question.created_at,
        )
    answers = Answer.objects.select_related(
        "question", "contributor", "source_book"
    ).only(
        "source",
        "external_id",
        "body",
        "stance",
        "status",
        "source_url",
        "created_at",
        "question__source",
        "question__external_id",
        "contributor__source",
        "contributor__external_id",
        "source_book__source",
        "source_book__external_id",
    )
    for answer in answers.order_by(*ORDER).iterator(CHUNK):
        yield AnswerRecord(
            type="answer",
            source=answer.source,
            external_id=answer.external_id,
            question=_ref(answer.question),  # type: ignore[arg-type]  # never None: a required foreign key
            contributor=_ref(answer.contributor),  # type: ignore[arg-type]  # as question
            body=answer.body,
            stance=answer.stance,  # type: ignore[arg-type]  # a field choice; pydantic checks the Literal
            status=answer.status,  # type: ignore[arg-type]  # a field choice; pydantic checks the Literal
            source_url=answer.source_url,
            source_book=_ref(answer.source_book),
            created_at=answer.created_at,
        )
