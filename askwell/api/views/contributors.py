"""/contributors, /books, /videos: who answers, and what they wrote or recorded."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router
from pydantic import Field

from askwell.api import output
from askwell.api.pagination import cursor_page
from askwell.api.schemas import (
    BookPage,
    ContributorDetail,
    ContributorPage,
    Id,
    VideoPage,
)
from askwell.api.views.common import READ_ERRORS, PageParams
from askwell.experts.models import Book, Contributor, Video
from askwell.questions.models import Answer
from askwell.topics.models import Topic

router = Router(tags=["contributors"])


class ContributorFilters(PageParams):
    kind: str | None = Field(
        None, pattern="^(person|organization)$", description="person or organization."
    )


def _contributors() -> Any:
    """Contributors with `published_answers`, a correlated subquery: a page
    counts its own rows' answers, not every contributor's before the LIMIT."""
    counts = (
        Answer.objects.published()
        .filter(contributor=OuterRef("pk"))
        .order_by()
        .values("contributor")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Contributor.objects.annotate(
        published_answers=Coalesce(Subquery(counts), Value(0))
    )


@router.get(
    "/contributors",
    response={200: ContributorPage, **READ_ERRORS},
    summary="Experts and organizations, by name",
)
def list_contributors(
    request: HttpRequest, params: Query[ContributorFilters]
) -> dict[str, Any]:
    """One query: the contributors with their published answer counts."""
    contributors = _contributors()
    if params.kind:
        contributors = contributors.filter(kind=params.kind)
    page, next_cursor = cursor_page(
        contributors, ("name", "pk"), params.cursor, params.limit
    )
    return {
        "results": [output.contributor_dict(c) for c in page],
        "next_cursor": next_cursor,
    }


@router.get(
    "/contributors/{int:contributor_id}",
    response={200: ContributorDetail, **READ_ERRORS},
    summary="One expert or organization",
)
def get_contributor(request: HttpRequest, contributor_id: Id) -> dict[str, Any]:
    contributor = get_object_or_404(
        _contributors().prefetch_related("books", "videos"), pk=contributor_id
    )
    return {
        **output.contributor_dict(contributor),
        "bio": contributor.bio,
        "bio_html": contributor.bio_html,
        "website": contributor.website,
        "photo_url": contributor.photo.url if contributor.photo else None,
        "books": [output.book_ref(b) for b in contributor.books.all()],
        "videos": [output.video_ref(v) for v in contributor.videos.all()],
    }


@router.get(
    "/books",
    response={200: BookPage, **READ_ERRORS},
    summary="Books by contributors, by title",
)
def list_books(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    """Two queries: the books, their authors."""
    books = Book.objects.prefetch_related("authors")
    page, next_cursor = cursor_page(books, ("title", "pk"), params.cursor, params.limit)
    return {"results": [output.book_dict(b) for b in page], "next_cursor": next_cursor}


@router.get(
    "/videos",
    response={200: VideoPage, **READ_ERRORS},
    summary="Videos, newest first",
)
def list_videos(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    """Two queries: the videos with their presenters, their topics."""
    videos = Video.objects.select_related("presenter").prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("name"))
    )
    page, next_cursor = cursor_page(
        videos, ("-created_at", "-pk"), params.cursor, params.limit
    )
    return {
        "results": [output.video_dict(v) for v in page],
        "next_cursor": next_cursor,
    }
