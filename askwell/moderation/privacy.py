"""What Askwell holds about one person, and how it is erased: the download
and the deletion a person asks for (actions.export_own_data and
actions.delete_account).

This module only orchestrates. Each app that holds rows about a person
exports and erases its own tables, registered in the registry of
askwell/accounts/personal_data.py; `erase_user` writes and is called only by
actions.delete_account, inside its transaction and after its checks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone

from askwell.accounts import personal_data

if TYPE_CHECKING:
    from askwell.accounts.models import User

EXPORT_FORMAT = "askwell-personal-data/1"

# The rule the delete page and the README state, kept here next to the code
# that applies it.
DELETION_RULE = [
    "Your questions stay on the site, so others can still read their answers, "
    "but they become anonymous and are no longer linked to you.",
    "Your comments stay, shown as from “a former member”.",
    "Your helpful marks, follows, saved questions, notifications, notification "
    "preferences, API tokens and expert applications are deleted.",
    "Your memberships of organizations end, and invitations waiting for you "
    "are declined; the record of when you belonged stays.",
    "Your reports to the editors stay, without your name.",
    "If you answer as a verified expert, your signed answers and endorsements "
    "stay under your professional name (they were published under it), but "
    "the profile's photo is deleted and the profile is no longer linked to "
    "any account.",
    "Your account itself is kept only as an empty, disabled record: the "
    "username, name and email address are erased and the password can never "
    "be used again. The audit log keeps its entries (it is append-only), "
    "now pointing at that empty record.",
]


def collect_user_data(user: User) -> dict[str, Any]:
    """Everything linked to `user`, as JSON-ready data: the account, then
    each app's sections.

    Other people appear only as what the site already shows publicly
    (a contributor's signature, a question's title): never an asker's
    name, even for the person's own activity on someone else's question.
    """
    return {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        **personal_data.export(user),
    }


def erase_user(user: User) -> dict[str, int]:
    """Apply DELETION_RULE to `user`; returns how many rows of each kind changed.

    The account row stays as a disabled, nameless record so that audit
    entries and reviews keep pointing at one account.
    """
    return personal_data.erase(user)
