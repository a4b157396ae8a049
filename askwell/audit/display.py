"""The audit log as people read it: who did what, to which object, and what
changed, in words.

`describe(entries)` turns a page of LogEntry rows into `EntryView`s:

- what: a phrase per action code ("answer.review.approved" → "approved an
  answer"); a code without one reads as its words ("answer review flagged"),
  never as an error;
- on what: the object's name, with a link to its page while it still exists;
- before → after: each field by its label, each value in words (a choice by
  its label, "published" → "Published"; True → "Yes");
- details: the entry's other data (a reason, a note).

Secrets stay masked: values under secret-looking keys are masked again on
the way out, whatever an entry holds.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.text import capfirst

from askwell.audit import _masked

if TYPE_CHECKING:
    from askwell.audit.models import LogEntry

SYSTEM = "Askwell (automatic)"
NOTHING = "none"

# One phrase per action code the site writes, completing "<who> …".
PHRASES: dict[str, str] = {
    # Moderation of content (moderation/actions.py: "<kind>.<verb>").
    "question.hidden": "hid a question",
    "question.deleted": "deleted a question",
    "question.restored": "restored a question",
    "answer.hidden": "hid an answer",
    "answer.deleted": "deleted an answer",
    "answer.restored": "restored an answer",
    "comment.hidden": "hid a comment",
    "comment.deleted": "deleted a comment",
    "comment.restored": "restored a comment",
    # Held questions and duplicates.
    "question.held": "held a new account's first question for review",
    "question.approved": "approved a held question",
    "question.rejected": "rejected a held question",
    "question.closed_as_duplicate": "closed a question as a duplicate",
    "question.reopened": "reopened a question",
    # Medical review (review/actions.py: "answer.review.<decision>").
    "answer.approved": "approved an answer",
    "answer.review.approved": "approved an answer",
    "answer.review.changes_requested": "asked for changes to an answer",
    "answer.review.rejected": "rejected an answer",
    "revision.restored": "restored an earlier version",
    # Reports.
    "flag.created": "reported something to the editors",
    "flag.dismissed": "dismissed a report",
    # Experts and organizations.
    "expert.verified": "verified an expert",
    "expert.verification_withdrawn": "withdrew an expert's verification",
    "expert.application_rejected": "turned down an expert application",
    "contributor.changed": "changed an expert profile",
    "contributor.profile_changed": "changed the bio or photo of a profile",
    "contributor.account_attached": "gave an account an expert profile",
    "organization.member_invited": "invited someone to an organization",
    "organization.invitation_accepted": "joined an organization",
    "organization.invitation_declined": "declined an invitation to an organization",
    "organization.invitation_withdrawn": "withdrew an invitation to an organization",
    "organization.member_removed": "removed a member from an organization",
    "organization.member_left": "left an organization",
    # Accounts.
    "user.roles_changed": "changed someone's roles",
    "api_token.created": "created an API token",
    "api_token.revoked": "revoked an API token",
    "account.exported": "downloaded their data",
    "account.deleted": "deleted their account",
}

# What an object's page address needs loaded with it (saves a query a row).
LINK_RELATED: dict[str, tuple[str, ...]] = {
    "questions.answer": ("question",),
    "questions.comment": ("answer__question",),
}


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class EntryView:
    """One entry, in words."""

    entry: LogEntry
    who: str
    what: str
    target: str = ""
    url: str = ""
    changes: list[Change] = field(default_factory=list)
    details: list[tuple[str, str]] = field(default_factory=list)


def phrase(action: str) -> str:
    """What `action` reads as after the actor's name: its phrase, or its
    words for a code without one ("x.some_thing" → "x some thing")."""
    if action in PHRASES:
        return PHRASES[action]
    words = " ".join(w for w in re.split(r"[._\s]+", action) if w)
    return words or "did something"


def humanise(key: str) -> str:
    """A data key as a label: "review_state" → "Review state"."""
    return capfirst(" ".join(w for w in key.split("_") if w)) or key


def in_words(value: Any, model_field: models.Field[Any, Any] | None = None) -> str:
    """`value` as a person reads it: a choice by its label, yes or no, a list
    joined; "none" for nothing."""
    if model_field is not None and model_field.choices:
        labels = {str(k): str(v) for k, v in model_field.flatchoices}
        if str(value) in labels:
            return labels[str(value)]
    if value is None or value == "" or value == [] or value == {}:
        return NOTHING
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list | tuple):
        return ", ".join(in_words(v) for v in value)
    if isinstance(value, Mapping):
        return "; ".join(f"{humanise(str(k))}: {in_words(v)}" for k, v in value.items())
    return str(value)


def describe(entries: Iterable[LogEntry]) -> list[EntryView]:
    """`entries` in words, in the same order. Entries need `actor` and
    `content_type` loaded (select_related); the objects they name are read
    with one query per kind of object that has a page."""
    entries = list(entries)
    urls = _urls(entries)
    return [_describe(entry, urls) for entry in entries]


def _describe(entry: LogEntry, urls: Mapping[tuple[int, str], str]) -> EntryView:
    model = entry.content_type.model_class() if entry.content_type else None
    before, after = _masked(entry.before), _masked(entry.after)
    changes = [
        Change(
            label=_label(model, key),
            before=in_words(before[key], _field(model, key)) if key in before else "—",
            after=in_words(after[key], _field(model, key)) if key in after else "—",
        )
        # By key: PostgreSQL's jsonb keeps no insertion order, so any other
        # order would differ between the databases.
        for key in sorted({*before, *after})
    ]
    details = [
        (humanise(key), in_words(value))
        for key, value in _masked(entry.data).items()
        if value not in (None, "", [], {})
    ]
    return EntryView(
        entry=entry,
        who=entry.actor.get_username() if entry.actor else SYSTEM,
        what=phrase(entry.action),
        target=entry.object_repr,
        url=urls.get((entry.content_type_id or 0, entry.object_id), ""),
        changes=changes,
        details=details,
    )


def _field(
    model: type[models.Model] | None, name: str
) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


def _label(model: type[models.Model] | None, key: str) -> str:
    found = _field(model, key)
    if found is not None and getattr(found, "verbose_name", None):
        return capfirst(str(found.verbose_name))
    return humanise(key)


def _urls(entries: list[LogEntry]) -> dict[tuple[int, str], str]:
    """(content type id, object id) → the page of each object that still
    exists and has one."""
    wanted: dict[int, set[Any]] = defaultdict(set)
    types: dict[int, tuple[type[models.Model], str]] = {}
    for entry in entries:
        content_type = entry.content_type
        model = content_type.model_class() if content_type else None
        if (
            content_type is None
            or model is None
            or not hasattr(model, "get_absolute_url")
        ):
            continue
        try:
            pk = model._meta.pk.to_python(entry.object_id)
        except ValidationError:
            continue
        if pk is not None:
            key = f"{content_type.app_label}.{content_type.model}"
            types[content_type.pk] = (model, key)
            wanted[content_type.pk].add(pk)
    urls = {}
    for type_id, pks in wanted.items():
        model, key = types[type_id]
        objects = model._default_manager.filter(pk__in=pks)
        related = LINK_RELATED.get(key)
        if related:
            objects = objects.select_related(*related)
        for obj in objects:
            urls[(type_id, str(obj.pk))] = obj.get_absolute_url()  # type: ignore[attr-defined]  # checked with hasattr above
    return urls
