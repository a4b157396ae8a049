"""Load the demo content (content.json, written by the Askwell team) into the database.

The demo is an import like any other: content.json becomes canonical
records (askwell/importers/records.py), keyed by (source="demo",
external_id=<slug>), and the importer's loader writes them through the
apps' actions, so loading twice updates rather than duplicates. Dates are
relative to the time of loading (each question's and answer's `age_days`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import FileField
from django.utils import timezone

from askwell.demo.covers import draw_cover
from askwell.experts.models import Book
from askwell.importers.loader import Loader, NewAnswers, Summary
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
from askwell.search import index_now

CONTENT_PATH = Path(__file__).with_name("content.json")
SOURCE = "demo"


@dataclass
class DemoSummary:
    topics: int = 0
    contributors: int = 0
    books: int = 0
    videos: int = 0
    questions: int = 0
    answers: int = 0

    @classmethod
    def of(cls, summary: Summary) -> DemoSummary:
        """How many records of each kind were loaded (created, updated or not)."""
        loaded = summary.created + summary.updated + summary.unchanged
        return cls(**{f"{kind}s": loaded[kind] for kind in loaded})

    def __str__(self) -> str:
        return (
            f"{self.topics} topics, {self.contributors} contributors, {self.books} books, "
            f"{self.videos} videos, {self.questions} questions, {self.answers} answers"
        )


def demo_content_loaded() -> bool:
    return Question.objects.filter(source=SOURCE).exists()


def load_demo_content(
    path: Path = CONTENT_PATH, *, now: datetime | None = None
) -> DemoSummary:
    """Load (or update) the demo content in one transaction, then index it
    for search at once (embeddings included), so the demo is searchable
    as soon as this returns, inside a test's transaction too."""
    records = list(demo_records(path, now or timezone.now()))
    # Published as the team wrote them, never reviewed here: older answers
    # fall due for review by their age.
    loader = Loader(strict=True, new_answers=NewAnswers.PUBLISHED)
    with transaction.atomic():
        summary = loader.load(records)
    answer_ids = list(Answer.objects.filter(source=SOURCE).values_list("pk", flat=True))
    question_ids = list(
        Question.objects.filter(source=SOURCE).values_list("pk", flat=True)
    )
    index_now(question_ids, answer_ids)
    return DemoSummary.of(summary)


def demo_records(path: Path, now: datetime) -> Iterator[Record]:
    """content.json as canonical records, in the order the loader needs."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for row in data["topics"]:
        yield TopicRecord(
            type="topic",
            **_key(row["slug"]),
            name=row["name"],
            slug=row["slug"],
            parent=_ref(row.get("parent")),
            description=row.get("description", ""),
            other_names=row.get("other_names", []),
            codes=row.get("codes", {}),
        )
    names = {}
    for row in data["contributors"]:
        verified = bool(row.get("verified"))
        names[row["slug"]] = row["name"]
        yield ContributorRecord(
            type="contributor",
            **_key(row["slug"]),
            slug=row["slug"],
            kind=row["kind"],
            name=row["name"],
            credentials=row.get("credentials", ""),
            specialty=row.get("specialty", ""),
            bio=row.get("bio", ""),
            website=row.get("website", ""),
            verified=verified,
            verified_at=now - timedelta(days=200) if verified else None,
        )
    covers = dict(
        Book.objects.filter(source=SOURCE).values_list("external_id", "cover")
    )
    for seed, row in enumerate(data["books"]):
        authors = row.get("authors", [])
        yield BookRecord(
            type="book",
            **_key(row["slug"]),
            slug=row["slug"],
            title=row["title"],
            authors=[Ref(source=SOURCE, external_id=slug) for slug in authors],
            description=row.get("description", ""),
            cover=covers.get(row["slug"])
            or _draw_cover(row, names[authors[0]] if authors else "", seed),
            link=row.get("link", ""),
            published_year=row.get("published_year"),
        )
    for row in data["videos"]:
        yield VideoRecord(
            type="video",
            **_key(row["slug"]),
            slug=row["slug"],
            title=row["title"],
            presenter=_ref(row.get("presenter")),
            topics=[
                Ref(source=SOURCE, external_id=slug) for slug in row.get("topics", [])
            ],
            description=row.get("description", ""),
            duration_seconds=row.get("duration_seconds") or None,
            media_url=row.get("media_url", ""),
            transcript=row.get("transcript", ""),
        )
    for row in data["questions"]:
        yield QuestionRecord(
            type="question",
            **_key(row["slug"]),
            slug=row["slug"],
            title=row["title"],
            details=row.get("details", ""),
            question_type=row.get("question_type", "other"),
            status=row.get("status") or ("answered" if row.get("answers") else "open"),
            topics=[
                Ref(source=SOURCE, external_id=slug) for slug in row.get("topics", [])
            ],
            view_count=row.get("view_count", 0),
            created_at=now - timedelta(days=row.get("age_days", 0)),
        )
    for row in data["questions"]:
        for answer in row.get("answers", []):
            yield AnswerRecord(
                type="answer",
                **_key(f"{row['slug']}/{answer['contributor']}"),
                question=Ref(source=SOURCE, external_id=row["slug"]),
                contributor=Ref(source=SOURCE, external_id=answer["contributor"]),
                body=answer["body"],
                stance=answer.get("stance") or "",
                status="published",
                source_url=answer.get("source_url", ""),
                source_book=_ref(answer.get("source_book")),
                created_at=now - timedelta(days=answer.get("age_days", 0)),
            )


def _key(external_id: str) -> dict[str, Any]:
    return {"source": SOURCE, "external_id": external_id}


def _ref(slug: str | None) -> Ref | None:
    return Ref(source=SOURCE, external_id=slug) if slug else None


def _draw_cover(row: dict[str, Any], byline: str, seed: int) -> str:
    """Draw a cover for a book that has none; returns the stored file's name."""
    field = Book._meta.get_field("cover")
    if not isinstance(field, FileField):
        raise TypeError("Book.cover is not a file field")
    name = field.generate_filename(Book(slug=row["slug"]), f"{row['slug']}.png")
    content = ContentFile(draw_cover(row["title"], byline, seed=seed))
    return str(field.storage.save(name, content))
