"""Writing imported rows in bulk: the part every app's import action shares.

An import (askwell/importers) hands each app batches of rows keyed by
(source, external_id) (core.models.Importable). The app's `import_*_batch`
action owns what is particular to its content (Markdown rendering, dates,
verification, the event it sends) and calls `upsert()` for the write:

- a new key creates a row, a known key updates the fields that differ, and
  an identical row changes nothing;
- new rows are written with one bulk_create, changed ones with one
  bulk_update, and many-to-many links are set to exactly what the rows say;
- the caller runs it inside a transaction, so a batch is written whole or
  not at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

# Re-renders what a row derives from the fields that changed (on a new row:
# every field it was given); returns the names of the fields it set.
Derive = Callable[[Any, set[str]], set[str]]


@dataclass
class ImportRow:
    """One row to create or update: its key and the model field values an
    import gives it (foreign keys as `<name>_id`)."""

    source: str
    external_id: str
    values: dict[str, Any]
    # The slug the record asks for; None makes one from the row (slug_from).
    slug: str | None = None
    # Many-to-many relation name → the pks it must link to, exactly.
    relations: dict[str, list[int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Imported:
    """What became of one row: its pk, and whether it was created or which
    fields (and relations) of an existing row changed."""

    pk: int
    created: bool = False
    changed: frozenset[str] = frozenset()

    @property
    def touched(self) -> bool:
        return self.created or bool(self.changed)


class Slugs:
    """The slugs an import run has given out, per model: each model's taken
    slugs are read once, then kept up to date in memory."""

    def __init__(self) -> None:
        self._taken: dict[type[models.Model], set[str]] = {}

    def new(self, model: type[models.Model], text: str) -> str:
        """A slug made from `text` that no row of `model` has."""
        if model not in self._taken:
            self._taken[model] = set(
                model._default_manager.values_list("slug", flat=True)
            )
        taken = self._taken[model]
        field = model._meta.get_field("slug")
        if not isinstance(field, models.SlugField) or field.max_length is None:
            raise TypeError(f"{model.__name__}.slug is not a bounded SlugField")
        max_length = field.max_length - 8
        base = slugify(text)[:max_length].strip("-") or model._meta.model_name or ""
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        return slug


def upsert(
    model: type[models.Model],
    rows: Sequence[ImportRow],
    *,
    slugs: Slugs | None = None,
    slug_from: str | None = None,
    derive: Derive | None = None,
    on_create: Mapping[str, Any] | None = None,
) -> list[Imported]:
    """Create or update one row of `model` per ImportRow; returns what became
    of each, in order.

    `slug_from` names the field a new row's slug is made from (with `slugs`,
    the run's register); a row asking for another slug gets it (made unique).
    `on_create` values are set on new rows only, never overwriting later
    changes. A new row dated by its values (`created_at`) was last updated
    then too. The same key twice in `rows` is one row, updated in turn.
    """
    manager = model._default_manager
    existing = {
        (obj.source, obj.external_id): obj  # type: ignore[attr-defined]  # an Importable row
        for obj in manager.filter(external_id__in=[row.external_id for row in rows])
    }
    to_create: list[models.Model] = []
    to_update: list[models.Model] = []
    queued: set[int] = set()  # id() of every object in to_create or to_update
    update_fields: set[str] = set()
    seen: dict[tuple[str, str], models.Model] = {}
    by_row: list[tuple[models.Model, frozenset[str]]] = []
    for row in rows:
        key = (row.source, row.external_id)
        obj = seen.get(key) or existing.get(key)
        if obj is None:
            obj = model(
                source=row.source,
                external_id=row.external_id,
                **{**(on_create or {}), **row.values},
            )
            if slug_from is not None and slugs is not None:
                obj.slug = slugs.new(model, row.slug or row.values[slug_from])  # type: ignore[attr-defined]  # an Importable row
            if derive:
                derive(obj, set(row.values))
            to_create.append(obj)
            queued.add(id(obj))
            by_row.append((obj, frozenset()))
        else:
            changed = {
                name
                for name, value in row.values.items()
                if getattr(obj, name) != value
            }
            wanted = row.slug if slug_from is not None and slugs is not None else None
            if wanted and slugs is not None and wanted != getattr(obj, "slug", None):
                changed.add("slug")
                obj.slug = slugs.new(model, wanted)  # type: ignore[attr-defined]  # an Importable row
            for name in changed - {"slug"}:
                setattr(obj, name, row.values[name])
            if changed and derive:
                changed |= derive(obj, changed)
            if changed and id(obj) not in queued:
                to_update.append(obj)
                queued.add(id(obj))
            update_fields |= changed
            by_row.append((obj, frozenset(changed)))
        seen[key] = obj
    manager.bulk_create(to_create)
    if to_update:
        if "updated_at" in {f.name for f in model._meta.fields}:
            now = timezone.now()
            for obj in to_update:
                obj.updated_at = now  # type: ignore[attr-defined]  # an Importable row
            update_fields.add("updated_at")
        manager.bulk_update(to_update, sorted(update_fields))
    _date_new_rows(model, rows, to_create)
    linked = _set_relations(
        model, [(obj, row) for (obj, _), row in zip(by_row, rows, strict=True)]
    )
    created = {id(obj) for obj in to_create}
    outcome: list[Imported] = []
    for obj, fields in by_row:
        if id(obj) in created:
            created.discard(id(obj))
            outcome.append(Imported(obj.pk, created=True))
        else:
            outcome.append(
                Imported(obj.pk, changed=fields | linked.get(obj.pk, frozenset()))
            )
    return outcome


def _date_new_rows(
    model: type[models.Model], rows: Sequence[ImportRow], created: list[models.Model]
) -> None:
    """A new row whose values date it was last updated when it was created
    (bulk_create stamps auto_now fields with the present)."""
    field_names = {f.name for f in model._meta.fields}
    if not created or not {"created_at", "updated_at"} <= field_names:
        return
    dated = {
        (row.source, row.external_id) for row in rows if "created_at" in row.values
    }
    pks = [obj.pk for obj in created if (obj.source, obj.external_id) in dated]  # type: ignore[attr-defined]  # an Importable row
    if pks:
        model._default_manager.filter(pk__in=pks).update(updated_at=F("created_at"))


def _set_relations(
    model: type[models.Model], pairs: list[tuple[models.Model, ImportRow]]
) -> dict[int, set[str]]:
    """Make each many-to-many set exactly what the rows say; return the
    relations that changed, by row pk."""
    changed: dict[int, set[str]] = defaultdict(set)
    names = {name for _, row in pairs for name in row.relations}
    for name in sorted(names):
        through = getattr(model, name).through
        own, other = _through_columns(model, through)
        wanted = {
            obj.pk: set(row.relations[name])
            for obj, row in pairs
            if name in row.relations
        }
        current: dict[int, set[int]] = defaultdict(set)
        for row_pk, target in through.objects.filter(
            **{f"{own}__in": wanted}
        ).values_list(own, other):
            current[row_pk].add(target)
        add: list[models.Model] = []
        remove: list[tuple[int, int]] = []
        for pk, targets in wanted.items():
            have = current.get(pk, set())
            add.extend(through(**{own: pk, other: t}) for t in targets - have)
            remove.extend((pk, t) for t in have - targets)
            if targets != have:
                changed[pk].add(name)
        through.objects.bulk_create(add)
        for pk, target in remove:
            through.objects.filter(**{own: pk, other: target}).delete()
    return changed


def _through_columns(
    model: type[models.Model], through: type[models.Model]
) -> tuple[str, str]:
    """The (own, other) id columns of an auto-created many-to-many table."""
    own = other = ""
    for f in through._meta.fields:
        if f.is_relation and f.related_model is model and not own:
            own = f.attname
        elif f.is_relation:
            other = f.attname
    return own, other
