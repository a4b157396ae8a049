from __future__ import annotations

from typing import Any

from ninja import Schema


class ErrorBody(Schema):
    code: str
    message: str
    details: Any = None


class Error(Schema):
    """Every failure has this shape: {"error": {"code", "message", "details"}}."""

    error: ErrorBody


class SearchResult(Schema):
    answer_id: int
    external_id: str
    question_id: int
    question: str
    contributor: str
    score: float


class SearchResponse(Schema):
    query: str
    results: list[SearchResult]
