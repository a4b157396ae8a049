"""/search and /similar: answers and questions found in a reader's words."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from askwell.api.auth import reader
from askwell.api.schemas import Error, SearchResponse, SimilarResponse, Text
from askwell.api.views.common import READ_ERRORS, similar_results
from askwell.core.ratelimit import hit
from askwell.language.emergency import suggests_emergency
from askwell.lib import limits
from askwell.search import hit_to_dict
from askwell.search import search as run_search

router = Router(tags=["search"])


class SearchParams(Schema):
    q: Text(limits.SEARCH_QUERY) = Field(
        min_length=1, description="What to search for, in the reader's words."
    )
    limit: int = Field(10, ge=1, le=50, description="Answers to return.")


@router.get(
    "/search",
    response={200: SearchResponse, 422: Error, 429: Error},
    summary="Search answers",
)
def search(request: HttpRequest, params: Query[SearchParams]) -> dict[str, object]:
    """Published answers ranked best first: the same results as `askwell search`."""
    hit(request, "search")
    found = run_search(params.q, limit=params.limit)
    return {
        "query": params.q,
        "close_match": found.close_match,
        "emergency": suggests_emergency(params.q),
        "results": [hit_to_dict(h) for h in found.hits],
    }


class SimilarParams(Schema):
    q: Text(limits.QUESTION_TEXT) = Field(
        min_length=1, description="A question being typed."
    )
    limit: int = Field(5, ge=1, le=20)


@router.get(
    "/similar",
    response={200: SimilarResponse, **READ_ERRORS, 429: Error},
    summary="Answered questions similar to a text",
)
def similar(request: HttpRequest, params: Query[SimilarParams]) -> dict[str, object]:
    """What the ask page shows while a question is typed."""
    user = reader(request)
    hit(request, "search")
    return similar_results(user, params.q, params.limit, exclude=None)
