"""Moderation's part of a person's data (askwell/accounts/personal_data.py):
their reports to the editors, which stay without their name when their
account is deleted. Registered in ModerationConfig.ready()."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from askwell.accounts.personal_data import when
from askwell.moderation.models import Flag

if TYPE_CHECKING:
    from askwell.accounts.models import User


def export(user: User) -> dict[str, Any]:
    return {
        "flags": [
            {
                "kind": f.kind,
                "reason": f.reason,
                "text": f.text,
                "status": f.status,
                "created_at": when(f.created_at),
            }
            for f in Flag.objects.filter(reporter=user).order_by("created_at", "pk")
        ],
    }


def erase(user: User) -> dict[str, int]:
    return {
        "flags_kept_without_reporter": Flag.objects.filter(reporter=user).update(
            reporter=None
        ),
    }
