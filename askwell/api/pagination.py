"""Cursor pagination: pages that stay right while rows are added.

A list is ordered by a few fields that end with the primary key, so the
order is total and stable (`("-created_at", "-pk")`). The cursor holds the
last row's values of those fields, base64-encoded: clients pass it back and
should not look inside. The next page is the rows after those values (a
keyset condition, no OFFSET), so a question asked while a client pages
through the list neither repeats a row nor hides one, and page 1,000 costs
what page 1 costs.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet

from askwell.api.errors import ApiError

M = TypeVar("M", bound=Model)


def _encode(values: list[Any]) -> str:
    raw = json.dumps(
        [v.isoformat() if isinstance(v, datetime) else v for v in values],
        separators=(",", ":"),
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _bad_cursor() -> ApiError:
    return ApiError(
        400,
        "invalid_cursor",
        "This cursor is not one the API gave out; start again without it.",
    )


def _decode(cursor: str, size: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError, binascii.Error):
        raise _bad_cursor() from None
    if not isinstance(values, list) or len(values) != size:
        raise _bad_cursor()
    if not all(_plain(v) for v in values):
        raise _bad_cursor()
    return values


def _plain(value: Any) -> bool:
    """A string, or an integer a database column can hold."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) < 2**63
    return isinstance(value, str) and "\x00" not in value


def _typed(model: type[Model], ordering: Sequence[str], values: list[Any]) -> list[Any]:
    """Each cursor value as its field's Python value, checked the way the
    database will use it: a date and time must carry its offset (the API's
    do) and convert to UTC within the years 1 to 9999
    ("9999-12-31T23:59:59-23:59" would not). Raises ApiError."""
    typed = []
    for name, value in zip(ordering, values, strict=True):
        name = name.lstrip("-")
        field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        try:
            python = field.to_python(value)  # type: ignore[union-attr]  # orderings name concrete fields, never relations
            if isinstance(python, datetime):
                if python.utcoffset() is None:
                    raise ValueError("a date and time without its offset")
                python.astimezone(UTC)
        except (ValidationError, ValueError, TypeError, OverflowError):
            raise _bad_cursor() from None
        typed.append(python)
    return typed


def _after(ordering: Sequence[str], values: list[Any]) -> Q:
    """Rows after `values` in `ordering`: (a > x) or (a = x and b > y) or …"""
    condition = Q()
    for i, field in enumerate(ordering):
        name = field.lstrip("-")
        lookup = "lt" if field.startswith("-") else "gt"
        equal = {f.lstrip("-"): v for f, v in zip(ordering[:i], values, strict=False)}
        condition |= Q(**equal, **{f"{name}__{lookup}": values[i]})
    return condition


def cursor_page(
    queryset: QuerySet[M], ordering: Sequence[str], cursor: str | None, limit: int
) -> tuple[list[M], str | None]:
    """One page of `queryset` in `ordering` (ending with "pk" or "-pk"), and
    the cursor of the next page (None on the last). One query."""
    rows = queryset.order_by(*ordering)
    if cursor:
        values = _typed(queryset.model, ordering, _decode(cursor, len(ordering)))
        try:
            rows = rows.filter(_after(ordering, values))
        except (ValidationError, ValueError, TypeError):
            raise _bad_cursor() from None
    try:
        found = list(rows[: limit + 1])
    except (ValidationError, ValueError, TypeError):
        raise _bad_cursor() from None
    if len(found) <= limit:
        return found, None
    found = found[:limit]
    last = found[-1]
    return found, _encode([getattr(last, f.lstrip("-")) for f in ordering])
