"""What `askwell import` reads: one registered source per subcommand.

A source is a function `read(path, out)` in a module of its own: it reads
the file or folder at `path`, may write what it found to `out` (the
command's output), and returns what the loader takes (canonical records,
records with where they were read, or a Problem for input it cannot use)
with how many there are, for the progress bar. One line in SOURCES makes it
`askwell import <name> PATH`; the loader, the checks and the summary are
the same for every source. docs/import-format.md walks through adding one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from askwell.importers import convert_medquad, jsonl
from askwell.importers.jsonl import Problem
from askwell.importers.records import Record
from askwell.lib.progress import Stream

Item = Record | Problem | tuple[str, Record]
# What a source read: the items to load, and how many there are.
Reading = tuple[Iterable[Item], int]


@dataclass(frozen=True)
class Source:
    name: str
    argument: str  # how the help names the path: PATH, FILE
    help: str
    read: Callable[[Path, Stream], Reading]


SOURCES: dict[str, Source] = {
    source.name: source
    for source in (
        Source(
            "medquad",
            "PATH",
            "the MedQuAD folder or medquad.tar.gz",
            convert_medquad.read,
        ),
        Source(
            "jsonl",
            "FILE",
            "an Askwell JSON Lines file (docs/import-format.md)",
            jsonl.read,
        ),
    )
}
