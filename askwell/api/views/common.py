"""What the resources of the API share: error responses, paging, the
question summaries and answer output, form checks, who to sign as."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from ninja import Schema
from pydantic import Field

from askwell.api import output
from askwell.api.errors import ApiError, form_error
from askwell.api.schemas import Error
from askwell.experts.models import Contributor
from askwell.experts.roles import posting_contributors
from askwell.questions import permissions
from askwell.questions.models import Answer, Question
from askwell.search import similar_questions
from askwell.topics.models import Topic

READ_ERRORS: dict[int, Any] = {400: Error, 401: Error, 404: Error, 422: Error}
WRITE_ERRORS: dict[int, Any] = {
    400: Error,
    401: Error,
    403: Error,
    404: Error,
    409: Error,
    422: Error,
    429: Error,
}
PAGE_DEFAULT = 20
PAGE_MAX = 100


class PageParams(Schema):
    cursor: str | None = Field(
        None, max_length=500, description="`next_cursor` of the previous page."
    )
    limit: int = Field(PAGE_DEFAULT, ge=1, le=PAGE_MAX)


def visible_question_list() -> Any:
    """Questions readers see, with what a summary shows: the asker (joined),
    the topics (one more query a page) and the published answer count."""
    return (
        Question.objects.visible()
        .with_published_answer_count()
        .select_related("asker")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
    )


def summaries(user: Any, questions: list[Question]) -> list[dict[str, Any]]:
    return [
        output.question_dict(q, show_asker=permissions.can_see_asker(user, q))
        for q in questions
    ]


def similar_results(
    user: Any, text: str, limit: int, exclude: int | None
) -> dict[str, Any]:
    found = similar_questions(text, limit=limit, exclude=exclude)
    loaded = visible_question_list().in_bulk([q.pk for q, _ in found])
    return {
        "results": [
            {"question": summaries(user, [loaded[q.pk]])[0], "score": round(score, 6)}
            for q, score in found
            if q.pk in loaded
        ]
    }


def valid(form: Any) -> dict[str, Any]:
    """The form's cleaned data, or 422 with its errors, as the page shows them."""
    if not form.is_valid():
        raise form_error(form)
    return form.cleaned_data  # type: ignore[no-any-return]  # a Form's: dict[str, Any]


def one_of(allowed: list[Contributor], chosen: int | None, user: Any) -> Contributor:
    """The contributor to sign as: `chosen`, or the only one `user` may use."""
    if chosen is None:
        if len(allowed) == 1:
            return allowed[0]
        raise ApiError(
            422,
            "invalid",
            "Say which contributor to sign as.",
            [
                {
                    "where": "contributor",
                    "message": "Choose one of: "
                    + ", ".join(f"{c.pk} ({c.signature})" for c in allowed),
                    "code": "required",
                }
            ],
        )
    for contributor in allowed:
        if contributor.pk == chosen:
            return contributor
    if any(c.pk == chosen for c in posting_contributors(user)):
        # Theirs, but not allowed here: answered already, or its own answer.
        raise PermissionDenied("You cannot sign this as that contributor.")
    raise PermissionDenied("You may only sign as yourself or your organizations.")


def answer_out(pk: int) -> dict[str, Any]:
    """An answer as its author sees it just after writing it (it may wait
    for medical review, so not `published()`)."""
    answer = Answer.objects.filter(pk=pk).for_display().get()
    return output.answer_dict(answer)
