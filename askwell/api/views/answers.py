"""/answers: editing an answer, marking it helpful, endorsing or disputing it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from pydantic import Field

from askwell.accounts.requests import SignedInRequest
from askwell.api import output
from askwell.api.auth import WRITE_AUTH
from askwell.api.schemas import (
    AnswerEditIn,
    AnswerOut,
    EndorseIn,
    EndorsementOut,
    HelpfulOut,
    Id,
    WithdrawnOut,
)
from askwell.api.views.common import WRITE_ERRORS, answer_out, one_of, valid
from askwell.core.ratelimit import hit
from askwell.questions import actions, permissions
from askwell.questions.forms import EditAnswerForm, EndorseForm
from askwell.questions.models import Answer, HelpfulMark

router = Router(tags=["answers"])


@router.patch(
    "/answers/{int:answer_id}",
    auth=WRITE_AUTH,
    response={200: AnswerOut, **WRITE_ERRORS},
    summary="Edit an answer (its author, or an editor)",
)
def edit_answer(
    request: SignedInRequest, answer_id: Id, payload: AnswerEditIn
) -> dict[str, Any]:
    """Fields left out keep their value in the newest version; the answer
    goes back to medical review, as on the page. Words a reviewer approved
    stay what readers (and this response's `body`) see until the new version
    is approved: `review.pending_revision` names it."""
    user = request.user
    existing = get_object_or_404(
        Answer.objects.select_related("question", "contributor", "draft"),
        pk=answer_id,
    )
    if not permissions.can_edit_answer(user, existing):
        # Only those who may edit an unpublished answer learn it exists.
        if not Answer.objects.published().filter(pk=existing.pk).exists():
            raise Http404
        permissions.check_can_edit_answer(user, existing)
    # Left out: as in the newest version (a draft waiting behind approved words).
    newest = existing.newest_version()
    references = (
        payload.references
        if payload.references is not None
        else [r.as_line() for r in newest["references"]]  # type: ignore[attr-defined]  # newest_version's contract
    )
    book = (
        payload.source_book
        if "source_book" in payload.model_fields_set
        else newest["source_book"]
    )
    form = EditAnswerForm(
        {
            "contributor": str(existing.contributor_id),
            "body": newest["body"] if payload.body is None else payload.body,
            "references": "\n".join(references),
            "source_book": "" if book is None else str(book),
            "stance": newest["stance"] if payload.stance is None else payload.stance,
            "reason": payload.reason,
        },
        contributors=[existing.contributor],
        author=user,
        shown=False,
    )
    data = valid(form)
    actions.edit_answer(
        user,
        existing,
        body=data["body"],
        references=data["references"],
        source_book=data["source_book"],
        stance=data["stance"],
        reason=data["reason"],
    )
    return answer_out(existing.pk)


def _published_answer(pk: int) -> Answer:
    """The answer with its question and contributor (saves two queries in the checks)."""
    return get_object_or_404(
        Answer.objects.published().select_related("question", "contributor"), pk=pk
    )


def _helpful_state(user: Any, answer: Answer) -> dict[str, Any]:
    return {
        "answer_id": answer.pk,
        "marked": HelpfulMark.objects.filter(answer=answer, user=user).exists(),
        "helpful_count": HelpfulMark.objects.filter(answer=answer).count(),
    }


@router.post(
    "/answers/{int:answer_id}/helpful",
    auth=WRITE_AUTH,
    response={200: HelpfulOut, **WRITE_ERRORS},
    summary="Mark an answer helpful (once; marking again changes nothing)",
)
def mark_helpful(request: SignedInRequest, answer_id: Id) -> dict[str, Any]:
    hit(request, "vote")
    target = _published_answer(answer_id)
    actions.mark_helpful(request.user, target)
    return _helpful_state(request.user, target)


@router.delete(
    "/answers/{int:answer_id}/helpful",
    auth=WRITE_AUTH,
    response={200: HelpfulOut, **WRITE_ERRORS},
    summary="Take back a helpful mark",
)
def unmark_helpful(request: SignedInRequest, answer_id: Id) -> dict[str, Any]:
    hit(request, "vote")
    target = _published_answer(answer_id)
    actions.unmark_helpful(request.user, target)
    return _helpful_state(request.user, target)


def _endorsing_as(request: HttpRequest, answer: Answer, chosen: int | None) -> Any:
    allowed = permissions.endorsing_contributors(request.user, answer)
    if not allowed:
        raise PermissionDenied("Only verified experts can endorse or dispute answers.")
    return one_of(allowed, chosen, request.user)


@router.post(
    "/answers/{int:answer_id}/endorsement",
    auth=WRITE_AUTH,
    response={200: EndorsementOut, **WRITE_ERRORS},
    summary="Endorse or dispute an answer (verified experts; again replaces it)",
)
def endorse_answer(
    request: SignedInRequest, answer_id: Id, payload: EndorseIn
) -> dict[str, Any]:
    hit(request, "vote")
    target = _published_answer(answer_id)
    contributor = _endorsing_as(request, target, payload.contributor)
    data = valid(
        EndorseForm(
            {
                "contributor": str(contributor.pk),
                "kind": payload.kind,
                "reason": payload.reason,
            },
            contributors=[contributor],
        )
    )
    endorsement = actions.endorse_answer(
        request.user,
        target,
        contributor=contributor,
        kind=data["kind"],
        reason=data["reason"],
    )
    return {"answer_id": target.pk, **output.endorsement_ref(endorsement)}


class WithdrawParams(Schema):
    contributor: Id | None = Field(
        None, description="Needed only when you may sign as more than one."
    )


@router.delete(
    "/answers/{int:answer_id}/endorsement",
    auth=WRITE_AUTH,
    response={200: WithdrawnOut, **WRITE_ERRORS},
    summary="Withdraw an endorsement or dispute",
)
def withdraw_endorsement(
    request: SignedInRequest, answer_id: Id, params: Query[WithdrawParams]
) -> dict[str, Any]:
    hit(request, "vote")
    target = _published_answer(answer_id)
    contributor = _endorsing_as(request, target, params.contributor)
    withdrawn = actions.withdraw_endorsement(
        request.user,
        target,
        contributor=contributor,
    )
    return {"answer_id": target.pk, "withdrawn": withdrawn}
