from __future__ import annotations

from typing import TypeVar

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

_M = TypeVar("_M", bound=Model)


def paginate(
    request: HttpRequest,
    queryset: QuerySet[_M],
    *,
    per_page: int | None = None,
    count: int | None = None,
) -> Page[_M]:
    """The page `?page=N` asks for; a number past the end or not a number is a 404.

    `count`, when the caller has counted `queryset` already (e.g. beside
    other counts in one query), spares the paginator its COUNT query."""
    paginator = Paginator(queryset, per_page or settings.ASKWELL_PAGE_SIZE)
    if count is not None:
        # Paginator.count is a cached property: a value set here is used.
        paginator.count = count
    raw = request.GET.get("page", "1")
    try:
        number = int(raw)
    except ValueError:
        raise Http404(f"Page {raw!r} is not a page number.") from None
    if number < 1 or (number > paginator.num_pages):
        raise Http404(f"There is no page {number}.")
    return paginator.page(number)
