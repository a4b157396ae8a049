"""A readable word-level diff between two versions of a text, at a cost
bounded by their length.

The units are words, each with the whitespace after it, so punctuation and
line breaks are kept; a changed word is marked alone (what both versions
of a change start or end with, a word or whitespace, is shown unchanged). A linear pass first takes
off the start and the end both versions share; difflib's SequenceMatcher
then matches the stretch between the first and the last change.

Matching can cost time quadratic in the words, or worse on text that
repeats a few words over and over: each of its steps (find_longest_match
on a range) reads every pair of equal words the range holds. Before each
step the pairs are counted (a prefix sum, so in constant time), and the
steps together may read at most WORK_LIMIT of them. A range that would
take the total over is not matched: it is shown whole, as removed and then
added, both versions of that part, and WordDiff.word_by_word says so, for
the page to tell its reader.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate

# A word with the whitespace after it, or the whitespace a text starts with.
_TOKENS = re.compile(r"\S+\s*|\s+")
# Words and whitespace apart, to mark no more than the changed words.
_WORDS_AND_SPACES = re.compile(r"\s+|\S+")

# The most word pairs the matching steps of one diff may read: at most
# about half a second of matching (a pair takes 40-200 ns). Prose of the
# longest answer's length (lib/limits.py ANSWER_BODY) with every fortieth
# word changed reads about 1,200,000; the same few words repeated
# thousands of times would read billions.
WORK_LIMIT = 2_500_000


@dataclass(frozen=True)
class Segment:
    op: str  # "same", "added" or "removed"
    text: str


@dataclass(frozen=True)
class WordDiff:
    segments: list[Segment]
    # False when part of the change was too costly to match word by word:
    # that part is one removed and one added segment.
    word_by_word: bool
    # The word pairs the matching read, at most WORK_LIMIT.
    work: int

    @property
    def changed(self) -> bool:
        return any(s.op != "same" for s in self.segments)


def compare(old: str, new: str) -> WordDiff:
    """The segments that turn `old` into `new`: put together, the "same"
    and "removed" ones are `old`, the "same" and "added" ones `new`; no
    segment is empty and neighbours never share an op."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    start = _shared_start(a, b)
    end = _shared_end(a, b, start)
    matching = _Matching(a[start : len(a) - end], b[start : len(b) - end])
    segments = [
        Segment("same", "".join(a[:start])),
        *matching.segments(),
        Segment("same", "".join(a[len(a) - end :])),
    ]
    return WordDiff(_joined(segments), not matching.cut_short, matching.work)


def word_diff(old: str, new: str) -> list[Segment]:
    """compare()'s segments alone, for a page that shows them without
    saying whether they were matched word by word (a history)."""
    return compare(old, new).segments


def _shared_start(a: list[str], b: list[str]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _shared_end(a: list[str], b: list[str], start: int) -> int:
    """How many units `a` and `b` share at their ends, leaving out the
    `start` units they share at their beginnings."""
    n, most = 0, min(len(a), len(b)) - start
    while n < most and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


class _Matching:
    """SequenceMatcher's matching blocks of `a` and `b` (its
    get_matching_blocks, step by step), within WORK_LIMIT."""

    def __init__(self, a: list[str], b: list[str]) -> None:
        self.a, self.b = a, b
        self.work = 0
        self.cut_short = False
        counts = Counter(b)
        # What find_longest_match reads for each word of `a`: the word, its
        # equal words in `b`, and a step to extend the match by.
        self._cost = list(accumulate((2 + counts[t] for t in a), initial=0))

    def segments(self) -> list[Segment]:
        a, b = self.a, self.b
        found: list[Segment] = []
        i = j = 0
        for ai, bj, size in [*self._blocks(), (len(a), len(b), 0)]:
            found += _changed("".join(a[i:ai]), "".join(b[j:bj]))
            found.append(Segment("same", "".join(a[ai : ai + size])))
            i, j = ai + size, bj + size
        return found

    def _blocks(self) -> list[tuple[int, int, int]]:
        if not self.a or not self.b:
            return []
        matcher = difflib.SequenceMatcher(a=self.a, b=self.b, autojunk=False)
        blocks = []
        ranges = [(0, len(self.a), 0, len(self.b))]
        while ranges:
            alo, ahi, blo, bhi = ranges.pop()
            cost = self._cost[ahi] - self._cost[alo] + 1
            if self.work + cost > WORK_LIMIT:
                # Shown whole, removed then added.
                self.cut_short = True
                continue
            self.work += cost
            i, j, size = matcher.find_longest_match(alo, ahi, blo, bhi)
            if size:
                blocks.append((i, j, size))
                if alo < i and blo < j:
                    ranges.append((alo, i, blo, j))
                if i + size < ahi and j + size < bhi:
                    ranges.append((i + size, ahi, j + size, bhi))
        return sorted(blocks)


def _changed(removed: str, added: str) -> list[Segment]:
    """A removed and an added text, less the words and whitespace both
    start or end with, which are shown unchanged: only "most" is marked
    in "most " → "many ", nothing of "fever." in "fever." → "fever. Call"."""
    r, a = _WORDS_AND_SPACES.findall(removed), _WORDS_AND_SPACES.findall(added)
    start = _shared_start(r, a)
    end = _shared_end(r, a, start)
    return [
        Segment("same", "".join(r[:start])),
        Segment("removed", "".join(r[start : len(r) - end])),
        Segment("added", "".join(a[start : len(a) - end])),
        Segment("same", "".join(r[len(r) - end :])),
    ]


def _joined(segments: list[Segment]) -> list[Segment]:
    joined: list[Segment] = []
    for s in segments:
        if not s.text:
            continue
        if joined and joined[-1].op == s.op:
            joined[-1] = Segment(s.op, joined[-1].text + s.text)
        else:
            joined.append(s)
    return joined
