"""JSON API v1. It calls the same engine and querysets as the pages; no logic of its own."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Query, Schema
from ninja.errors import ValidationError
from pydantic import Field

from askwell.api.schemas import Error, SearchResponse
from askwell.core.ratelimit import RateLimited, hit
from askwell.search.engine import search as run_search
from askwell.search.management.commands.search import hit_to_dict

api = NinjaAPI(
    title="Askwell API",
    version="1",
    description='Expert health questions and answers. Errors: {"error": {"code", "message", "details"}}.',
    urls_namespace="api",
)


def error_response(
    request: HttpRequest, status: int, code: str, message: str, details: object = None
) -> HttpResponse:
    return api.create_response(
        request,
        {"error": {"code": code, "message": message, "details": details}},
        status=status,
    )


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = [
        {
            "where": ".".join(str(p) for p in e.get("loc", ())),
            "message": e.get("msg", ""),
        }
        for e in exc.errors
    ]
    return error_response(
        request,
        422,
        "invalid_request",
        "The request is not valid; see details.",
        details,
    )


@api.exception_handler(RateLimited)
def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = error_response(
        request,
        429,
        "rate_limited",
        f"Too many requests; try again in {exc.retry_after} seconds.",
        {"retry_after": exc.retry_after},
    )
    response["Retry-After"] = str(exc.retry_after)
    return response


class SearchParams(Schema):
    q: str = Field(
        min_length=1,
        max_length=500,
        description="What to search for, in the reader's words.",
    )
    limit: int = Field(10, ge=1, le=50, description="Answers to return.")


@api.get(
    "/search",
    response={200: SearchResponse, 422: Error, 429: Error},
    summary="Search answers",
)
def search(request: HttpRequest, params: Query[SearchParams]) -> dict[str, object]:
    """Published answers ranked best first: the same results as `askwell search`."""
    # Counted in the body, not by a wrapping decorator: django-ninja reads a
    # view's annotations through the globals of the function it is given.
    hit(request, "search")
    hits = run_search(params.q, limit=params.limit).hits
    return {"query": params.q, "results": [hit_to_dict(h) for h in hits]}
