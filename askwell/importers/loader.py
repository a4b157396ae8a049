"""Load canonical records into the database: idempotent, batched, all-or-nothing per batch.

Records are matched to rows by (source, external_id): a new key creates a row,
a known key updates the fields that differ, an identical record changes
nothing. Records are written in batches of one type, each batch in its own
transaction, so an import killed at any moment leaves every batch either
fully written or not at all, and running it again completes it.

A record that cannot be loaded (invalid, or pointing at something that does
not exist) is skipped with a reason; with `strict=True` the first such record
stops the import instead.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction

from askwell.core.importing import Slugs
from askwell.importers.jsonl import Problem
from askwell.importers.kinds import KINDS, Kind, NewAnswers, Run
from askwell.importers.records import Record, Ref

__all__ = ["BATCH_SIZE", "Loader", "NewAnswers", "StrictStop", "Summary"]

BATCH_SIZE = 500


class StrictStop(Exception):
    """Raised under `strict=True` at the first record that cannot be loaded."""

    def __init__(self, problem: Problem, record: Record | None = None) -> None:
        super().__init__(str(problem))
        self.problem = problem
        self.record = record


@dataclass
class Summary:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    skipped: list[Problem] = field(default_factory=list)

    @property
    def total(self) -> int:
        return (
            sum(self.created.values())
            + sum(self.updated.values())
            + sum(self.unchanged.values())
        )

    def lines(self) -> list[str]:
        rows = [f"{'':<12}{'created':>9}{'updated':>9}{'unchanged':>11}"]
        for kind in KINDS:
            counts = (self.created[kind], self.updated[kind], self.unchanged[kind])
            if any(counts):
                rows.append(
                    f"{kind + 's':<12}{counts[0]:>9}{counts[1]:>9}{counts[2]:>11}"
                )
        rows.append(f"skipped: {len(self.skipped)}")
        reasons = Counter(_reason(p.message) for p in self.skipped)
        rows.extend(f"  {n} × {reason}" for reason, n in reasons.most_common())
        return rows


def _reason(message: str) -> str:
    """The kind of problem, without the record's own id: for grouping in the summary."""
    return message.split(": ", 1)[-1] if "'" in message.split(": ", 1)[0] else message


@dataclass
class _Pending:
    kind: str
    records: list[tuple[str, Record]] = field(default_factory=list)


class Loader:
    """Loads a stream of records (and Problems) and counts what happened."""

    def __init__(
        self,
        *,
        strict: bool = False,
        batch_size: int = BATCH_SIZE,
        on_record: Callable[[int], None] | None = None,
        new_answers: NewAnswers = NewAnswers.REVIEWED_BY_SOURCE,
    ) -> None:
        """`new_answers`: where answers new to the database stand in medical
        review (see NewAnswers). Answers already imported keep their state."""
        self.strict = strict
        self.new_answers = new_answers
        self.batch_size = batch_size
        self.on_record = on_record or (lambda n: None)
        self.summary = Summary()
        self._pks: dict[str, dict[tuple[str, str], int]] = defaultdict(dict)
        self._run = Run(Slugs(), new_answers)

    def load(self, items: Iterable[Record | Problem | tuple[str, Record]]) -> Summary:
        """Load everything. A bare Record is described by its type and external id."""
        pending: _Pending | None = None
        for item in items:
            if isinstance(item, Problem):
                if self.strict and pending:
                    # What was read before the bad line is loaded first.
                    self._flush(pending)
                    pending = None
                self._skip(item)
                self.on_record(1)
                continue
            where, record = item if isinstance(item, tuple) else ("", item)
            if (
                pending is None
                or pending.kind != record.type
                or len(pending.records) >= self.batch_size
            ):
                if pending:
                    self._flush(pending)
                pending = _Pending(record.type)
            pending.records.append((where, record))
        if pending:
            self._flush(pending)
        return self.summary

    # --- batches -----------------------------------------------------------------

    def _flush(self, pending: _Pending) -> None:
        kind = KINDS[pending.kind]
        try:
            with transaction.atomic():
                self._load_batch(kind, pending.records)
        except StrictStop as stop:
            # The batch was rolled back; keep the records before the bad one.
            before = [
                i for i, (_, rec) in enumerate(pending.records) if rec is stop.record
            ]
            if before and before[0] > 0:
                with transaction.atomic():
                    self._load_batch(kind, pending.records[: before[0]])
            raise
        self.on_record(len(pending.records))

    def _skip(self, problem: Problem, record: Record | None = None) -> None:
        if self.strict:
            raise StrictStop(problem, record)
        self.summary.skipped.append(problem)

    def _problem(self, where: str, record: Record, message: str) -> None:
        label = f"{record.type} {record.external_id!r}"
        where = where or f"{record.source}/{record.external_id}"
        self._skip(Problem(where, f"{label}: {message}"), record)

    # --- references --------------------------------------------------------------

    def _resolve(self, kind: str, refs: Iterable[Ref]) -> None:
        """Look up, in one query, the keys of `refs` not seen yet in this run."""
        known = self._pks[kind]
        missing = {(r.source, r.external_id) for r in refs} - known.keys()
        if not missing:
            return
        rows = (
            KINDS[kind]
            .model._default_manager.filter(external_id__in={ext for _, ext in missing})
            .values_list("source", "external_id", "pk")
        )
        for source, ext, pk in rows:
            if (source, ext) in missing:
                known[(source, ext)] = pk

    def _pk(self, kind: str, ref: Ref | None) -> int | None:
        return (
            None if ref is None else self._pks[kind].get((ref.source, ref.external_id))
        )

    # --- one batch ---------------------------------------------------------------

    def _load_batch(self, kind: Kind, records: list[tuple[str, Record]]) -> None:
        """Check each record, then write the batch through its app's action
        (Kind.write) and count what became of each record.

        A record may refer to one of its own kind earlier in the batch (a
        topic's parent): the batch is then written in levels, each after
        the one it refers to.
        """
        for link in kind.links:
            self._resolve(link.kind, [r for _, rec in records for r in link.refs(rec)])
        levels: dict[int, list[tuple[str, Record]]] = defaultdict(list)
        level_of: dict[tuple[str, str], int] = {}
        for where, rec in records:
            level = self._level(kind, where, rec, level_of)
            if level is not None:
                level_of[(rec.source, rec.external_id)] = level
                levels[level].append((where, rec))
        for level in sorted(levels):
            batch = levels[level]
            rows = [kind.values(rec, self._pk) for _, rec in batch]
            imported = kind.write(rows, self._run) if rows else []
            for (_, rec), outcome in zip(batch, imported, strict=True):
                self._pks[kind.name][(rec.source, rec.external_id)] = outcome.pk
                if outcome.created:
                    self.summary.created[kind.name] += 1
                elif outcome.changed:
                    self.summary.updated[kind.name] += 1
                else:
                    self.summary.unchanged[kind.name] += 1

    def _level(
        self,
        kind: Kind,
        where: str,
        rec: Record,
        level_of: dict[tuple[str, str], int],
    ) -> int | None:
        """How many records of this batch `rec` waits for (0: none), or None
        when it cannot be loaded (the problem is recorded)."""
        for mapped in kind.fields:
            value = getattr(rec, mapped.name)
            if mapped.choices is not None and value not in mapped.choices:
                self._problem(where, rec, f"unknown {mapped.name} {value!r}")
                return None
        level = 0
        for link in kind.links:
            for ref in link.refs(rec):
                key = (ref.source, ref.external_id)
                if link.kind == kind.name and key in level_of:
                    level = max(level, level_of[key] + 1)
                elif self._pk(link.kind, ref) is None:
                    self._problem(
                        where,
                        rec,
                        f"{link.label} {ref.source}/{ref.external_id} not found",
                    )
                    return None
        return level
