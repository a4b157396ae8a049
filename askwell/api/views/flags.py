"""/flags: reporting content to the editors."""

from __future__ import annotations

from typing import Any

from ninja import Router

from askwell.accounts.requests import SignedInRequest
from askwell.api.auth import WRITE_AUTH
from askwell.api.schemas import FlagIn, FlagOut
from askwell.api.views.common import WRITE_ERRORS, valid
from askwell.core.ratelimit import hit
from askwell.moderation import actions as moderation_actions
from askwell.moderation import permissions as moderation_permissions
from askwell.moderation.forms import FlagForm
from askwell.moderation.queries import flaggable

router = Router(tags=["moderation"])


@router.post(
    "/flags",
    auth=WRITE_AUTH,
    response={201: FlagOut, **WRITE_ERRORS},
    summary="Report a question, answer or comment to the editors",
)
def flag(request: SignedInRequest, payload: FlagIn) -> tuple[int, dict[str, Any]]:
    """One open report per reader per item: a second one is 409."""
    hit(request, "flag")
    moderation_permissions.check_can_flag(request.user)
    target = flaggable(request.user, payload.kind, payload.id)
    data = valid(FlagForm({"reason": payload.reason, "text": payload.text}))
    created = moderation_actions.flag_content(
        request.user, target, reason=data["reason"], text=data["text"]
    )
    return 201, {
        "id": created.pk,
        "kind": created.kind,
        "target_id": created.target_id,
        "reason": created.reason,
        "status": created.status,
        "created_at": created.created_at,
    }
