"""What Askwell holds about one person, and how it is erased: each app
answers for its own tables.

Every app that keeps rows about a person registers, in its
AppConfig.ready(), an exporter (the person's rows as JSON-ready sections)
and an eraser (applies the deletion rule to its rows; returns how many rows
of each kind changed), as pretix's data shredders do. The account itself
(`account`, `api_tokens`) is accounts' own and comes first in the export
and last in the erasure. moderation/privacy.py orchestrates: the download
and the deletion the person asks for.

Registered parts run in the order the apps are installed (INSTALLED_APPS),
and each touches only its own tables, so no part depends on another's
having run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from askwell.accounts.models import User

Exporter = Callable[["User"], dict[str, Any]]
Eraser = Callable[["User"], dict[str, int]]


@dataclass(frozen=True)
class Holder:
    """One app's part: `name` is its label, for reading the registry."""

    name: str
    export: Exporter
    erase: Eraser


_holders: dict[str, Holder] = {}


def register(name: str, *, export: Exporter, erase: Eraser) -> None:
    """Add one app's part; registering a name again replaces it."""
    _holders[name] = Holder(name, export, erase)


def holders() -> list[Holder]:
    return list(_holders.values())


def when(value: Any) -> str | None:
    """A date or time as ISO 8601, or None: how every section writes them."""
    return value.isoformat() if value else None


def export(user: User) -> dict[str, Any]:
    """Everything linked to `user`, by section: the account first, then each
    registered app's sections. Sections never repeat a key."""
    data = _export_account(user)
    for holder in holders():
        part = holder.export(user)
        if clash := data.keys() & part.keys():
            raise ValueError(f"{holder.name} exports {sorted(clash)} again")
        data.update(part)
    return data


def erase(user: User) -> dict[str, int]:
    """Apply each registered app's eraser, then empty and disable the account.

    The account row stays as a disabled, nameless record so that audit
    entries and reviews keep pointing at one account. Call inside a
    transaction (moderation's delete_account does).
    """
    done: dict[str, int] = {}
    for holder in holders():
        done.update(holder.erase(user))
    done.update(_erase_account(user))
    return done


def _export_account(user: User) -> dict[str, Any]:
    return {
        "account": {
            "id": user.pk,
            "username": user.get_username(),
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": when(user.date_joined),
            "last_login": when(user.last_login),
            "groups": sorted(user.groups.values_list("name", flat=True)),
        },
        # What each token was for and when it was used; never the token,
        # which Askwell does not have.
        "api_tokens": [
            {
                "name": t.name,
                "starts_with": t.prefix,
                "created_at": when(t.created_at),
                "last_used_at": when(t.last_used_at),
                "revoked_at": when(t.revoked_at),
            }
            for t in user.api_tokens.order_by("created_at", "pk")
        ],
    }


def _erase_account(user: User) -> dict[str, int]:
    done = {"api_tokens_deleted": user.api_tokens.all().delete()[0]}
    user.groups.clear()
    user.user_permissions.clear()
    user.username = f"deleted-{user.pk}"
    user.first_name = user.last_name = user.email = ""
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.last_login = None
    user.save(
        update_fields=[
            "username",
            "first_name",
            "last_name",
            "email",
            "password",
            "is_active",
            "is_staff",
            "is_superuser",
            "last_login",
        ]
    )
    return done
