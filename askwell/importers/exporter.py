"""Export everything as canonical records, in an order an import can replay.

Topics come parents first, then contributors, books, videos, questions and
answers; within a type, rows are ordered by (source, external_id) so two
exports of the same content are byte-for-byte identical.
"""

from __future__ import annotations

from collections.abc import Iterator

from askwell.importers.kinds import KINDS
from askwell.importers.records import Record

CHUNK = 2000


def count_rows() -> int:
    return sum(kind.model._default_manager.count() for kind in KINDS.values())


def export_records() -> Iterator[Record]:
    """Every row of every kind as its record (kinds.Kind.to_record)."""
    for kind in KINDS.values():
        for obj in kind.export_rows().iterator(CHUNK):
            yield kind.to_record(obj)
