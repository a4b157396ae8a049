"""Append-only audit log. Call `log_action` from actions, inside their transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db import models

    from askwell.audit.models import LogEntry

SECRET_KEYS = frozenset({"password", "token", "secret", "key", "licence_number"})
MASK = "•••"


def _masked(data: dict[str, Any] | None) -> dict[str, Any]:
    return {
        k: (MASK if any(s in k.lower() for s in SECRET_KEYS) and v else v)
        for k, v in (data or {}).items()
    }


def log_action(
    obj: models.Model | None,
    action: str,
    actor: Any,
    data: dict[str, Any] | None = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> LogEntry:
    """Append one entry: `actor` did `action` ("answer.approved") to `obj`.

    Call it inside the action's transaction, so the entry exists exactly when
    the change does. Keys that look like secrets are masked.
    """
    from django.contrib.contenttypes.models import ContentType

    from askwell.audit.models import LogEntry

    return LogEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj)
        if obj is not None
        else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        before=_masked(before),
        after=_masked(after),
        data=_masked(data),
    )
