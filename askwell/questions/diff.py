"""A readable word-level diff between two revisions of a text."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    op: str  # "same", "added" or "removed"
    text: str


def word_diff(old: str, new: str) -> list[Segment]:
    """Segments that turn `old` into `new`, whitespace kept, words as units."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("same", "".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            segments.append(Segment("removed", "".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            segments.append(Segment("added", "".join(b[j1:j2])))
    return [s for s in segments if s.text]
