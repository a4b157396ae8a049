"""Load the demo content (content.json, written by the Askwell team) into the database.

Every record is keyed by (source="demo", external_id=<slug>), so loading twice
updates rather than duplicates, exactly like a real import.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from askwell.demo.covers import draw_cover
from askwell.experts.models import Book, Contributor, Video
from askwell.questions.models import Answer, Question
from askwell.search import indexing
from askwell.topics.models import Topic

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
    """Load (or update) the demo content, then index it for search."""
    summary = _load(path, now)
    answer_ids = list(Answer.objects.filter(source=SOURCE).values_list("pk", flat=True))
    indexing.index_answers(answer_ids)
    question_ids = list(
        Question.objects.filter(source=SOURCE).values_list("pk", flat=True)
    )
    indexing.embed_pending(answer_ids=answer_ids, question_ids=question_ids)
    return summary


@transaction.atomic
def _load(path: Path, now: datetime | None) -> DemoSummary:
    data = json.loads(path.read_text(encoding="utf-8"))
    now = now or timezone.now()
    summary = DemoSummary()
    topics: dict[str, Topic] = {}
    for row in data["topics"]:
        topics[row["slug"]] = _upsert(
            Topic,
            row["slug"],
            name=row["name"],
            slug=row["slug"],
            parent=topics[row["parent"]] if row.get("parent") else None,
            description=row.get("description", ""),
            other_names=row.get("other_names", []),
            codes=row.get("codes", {}),
        )
        summary.topics += 1
    contributors: dict[str, Contributor] = {}
    for row in data["contributors"]:
        verified = bool(row.get("verified"))
        contributors[row["slug"]] = _upsert(
            Contributor,
            row["slug"],
            slug=row["slug"],
            kind=row["kind"],
            name=row["name"],
            credentials=row.get("credentials", ""),
            specialty=row.get("specialty", ""),
            bio=row.get("bio", ""),
            website=row.get("website", ""),
            is_verified=verified,
            verified_at=now - timedelta(days=200) if verified else None,
        )
        summary.contributors += 1
    books: dict[str, Book] = {}
    for seed, row in enumerate(data["books"]):
        book = _upsert(
            Book,
            row["slug"],
            slug=row["slug"],
            title=row["title"],
            description=row.get("description", ""),
            link=row.get("link", ""),
            published_year=row.get("published_year"),
        )
        authors = [contributors[slug] for slug in row.get("authors", [])]
        book.authors.set(authors)
        if not book.cover:
            byline = authors[0].name if authors else ""
            book.cover.save(
                f"{row['slug']}.png",
                ContentFile(draw_cover(row["title"], byline, seed=seed)),
            )
        books[row["slug"]] = book
        summary.books += 1
    for row in data["videos"]:
        video = _upsert(
            Video,
            row["slug"],
            slug=row["slug"],
            title=row["title"],
            presenter=contributors.get(row.get("presenter") or ""),
            description=row.get("description", ""),
            duration=timedelta(seconds=row["duration_seconds"])
            if row.get("duration_seconds")
            else None,
            media_url=row.get("media_url", ""),
            transcript=row.get("transcript", ""),
        )
        video.topics.set([topics[slug] for slug in row.get("topics", [])])
        summary.videos += 1
    for row in data["questions"]:
        question = _upsert(
            Question,
            row["slug"],
            slug=row["slug"],
            title=row["title"],
            details=row.get("details", ""),
            question_type=row.get("question_type", "other"),
            status=row.get("status") or ("answered" if row.get("answers") else "open"),
            view_count=row.get("view_count", 0),
        )
        question.topics.set([topics[slug] for slug in row.get("topics", [])])
        _backdate(Question, question.pk, now, row.get("age_days", 0))
        summary.questions += 1
        for answer_row in row.get("answers", []):
            answer = _upsert(
                Answer,
                f"{row['slug']}/{answer_row['contributor']}",
                question=question,
                contributor=contributors[answer_row["contributor"]],
                body=answer_row["body"],
                stance=answer_row.get("stance") or "",
                source_book=books.get(answer_row.get("source_book") or ""),
                source_url=answer_row.get("source_url", ""),
                status=Answer.Status.PUBLISHED,
            )
            _backdate(Answer, answer.pk, now, answer_row.get("age_days", 0))
            summary.answers += 1
    return summary


def _upsert(model: Any, external_id: str, **fields: Any) -> Any:
    obj, _ = model.objects.update_or_create(
        source=SOURCE, external_id=external_id, defaults=fields
    )
    return obj


def _backdate(model: Any, pk: int, now: datetime, age_days: int) -> None:
    when = now - timedelta(days=age_days)
    model.objects.filter(pk=pk).update(created_at=when, updated_at=when)
