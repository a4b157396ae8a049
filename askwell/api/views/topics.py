"""/topics: the topic tree."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema
from pydantic import Field

from askwell.api.schemas import Id, TopicTree
from askwell.api.views.common import READ_ERRORS
from askwell.topics.models import Topic

router = Router(tags=["topics"])


class TopicParams(Schema):
    parent: Id | None = Field(
        None, description="List the subtopics of this topic (default: the top level)."
    )
    depth: int = Field(2, ge=1, le=10, description="Levels of subtopics to include.")


@router.get(
    "/topics",
    response={200: TopicTree, **READ_ERRORS},
    summary="The topic tree",
)
def topic_tree(request: HttpRequest, params: Query[TopicParams]) -> dict[str, Any]:
    """Topics as a tree, from the top level or from `parent`, `depth` levels
    deep. One query, whatever the size of the tree."""
    rows = Topic.objects.order_by("name", "pk").values_list(
        "pk", "parent_id", "name", "slug"
    )
    children: dict[int | None, list[tuple[int, int | None, str, str]]] = defaultdict(
        list
    )
    known: set[int] = set()
    for row in rows:
        children[row[1]].append(row)
        known.add(row[0])
    if params.parent is not None and params.parent not in known:
        raise Http404
    url = reverse("topics:detail", kwargs={"slug": "SLUG"})

    def node(row: tuple[int, int | None, str, str], depth: int) -> dict[str, Any]:
        pk, _, name, slug = row
        below = children.get(pk, [])
        return {
            "id": pk,
            "name": name,
            "slug": slug,
            "url": url.replace("SLUG", slug),
            "child_count": len(below),
            "children": [node(c, depth - 1) for c in below] if depth > 1 else [],
        }

    return {"topics": [node(r, params.depth) for r in children.get(params.parent, [])]}
