"""The curated medical vocabulary: readers' words <-> clinicians' words.

`vocabulary.tsv` (next to this module) lists entries such as
``multiple sclerosis <TAB> condition <TAB> MS|disseminated sclerosis``; the file's
header explains the format and the sources. `load_vocabulary()` parses it once per
process and `Vocabulary.expand()` finds every vocabulary phrase in a reader's text
and returns its equivalents, so that "MS", "heart attack" or "Tylenol" can find
answers written about multiple sclerosis, myocardial infarction or acetaminophen.

Matching works on normalized word tokens, not characters: text and phrases are
split into runs of letters and digits, lower-cased, stripped of accents and of
inner apostrophes ("Crohn's" -> "crohns"). Punctuation between words is therefore
ignored ("heart-attack" == "heart attack"). Regular plurals of every phrase are
derived at load time, so the file lists only irregular ones.

This module has no Django dependency: it is plain Python and fast enough to run on
every query (about 60 µs for a 100-word text on a 2-core machine).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_PATH = Path(__file__).with_name("vocabulary.tsv")

KINDS = frozenset(
    ["condition", "drug", "procedure", "test", "anatomy", "symptom", "other"]
)

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_APOSTROPHES = str.maketrans("", "", "'’")
_CONSONANTS = frozenset("bcdfghjklmnpqrstvwxz")


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the vocabulary: a canonical term and its equivalent variants."""

    canonical: str
    kind: str
    variants: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical term followed by every variant, as written in the file."""
        return (self.canonical, *self.variants)


@dataclass(frozen=True, slots=True)
class Expansion:
    """A vocabulary phrase found in a text.

    `start`/`end` are character offsets into the text (``text[start:end]`` is what
    the reader wrote); `phrase` is the vocabulary name that matched, as written in
    the file; `equivalents` are the entry's other names, canonical first.
    `ambiguous` is true when the matched name is an abbreviation that is also an
    everyday word (written in capitals in the file, e.g. "MS", "ADD"): the caller
    should trust such a match less, or only when the reader typed capitals.
    """

    start: int
    end: int
    phrase: str
    entry: Entry
    equivalents: tuple[str, ...]
    ambiguous: bool = False


def is_ambiguous(name: str) -> bool:
    """True for a name the file writes in capitals: an abbreviation that is also a word."""
    return name.isupper()


def normalize(text: str) -> tuple[str, ...]:
    """The matching tokens of `text`: lower-case, accent-free, no apostrophes."""
    return tuple(_normalize_token(m.group()) for m in _TOKEN.finditer(text))


def _normalize_token(token: str) -> str:
    token = token.lower()
    if "'" in token or "’" in token:
        token = token.translate(_APOSTROPHES)
    if not token.isascii():
        decomposed = unicodedata.normalize("NFKD", token)
        token = "".join(c for c in decomposed if not unicodedata.combining(c))
    return token


def _plurals(word: str) -> tuple[str, ...]:
    """Regular English plurals of `word`; unused forms ("diabeteses") are harmless."""
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return (word + "es",)
    if word.endswith("y") and len(word) > 1 and word[-2] in _CONSONANTS:
        return (word[:-1] + "ies",)
    return (word + "s",)


@dataclass(frozen=True, slots=True)
class _Match:
    entry: Entry
    phrase: str
    equivalents: tuple[str, ...]
    ambiguous: bool


@dataclass(slots=True)
class Vocabulary:
    """The parsed vocabulary and the phrase index built from it."""

    entries: tuple[Entry, ...]
    # Normalized token tuple -> every entry it names (two when genuinely ambiguous).
    _index: dict[tuple[str, ...], tuple[_Match, ...]] = field(
        init=False, repr=False, compare=False
    )
    # First token -> the token lengths of phrases starting with it, longest first,
    # so that scanning a text only builds tuples where a phrase could start.
    _lengths: dict[str, tuple[int, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        exact: dict[tuple[str, ...], list[_Match]] = {}
        for entry in self.entries:
            seen: set[tuple[str, ...]] = set()
            for name in entry.names:
                key = normalize(name)
                if key in seen:
                    continue
                seen.add(key)
                match = _Match(
                    entry,
                    name,
                    tuple(other for other in entry.names if other != name),
                    is_ambiguous(name),
                )
                exact.setdefault(key, []).append(match)
        # Derived plurals never shadow a phrase the file lists itself.
        derived: dict[tuple[str, ...], list[_Match]] = {}
        for key, matches in exact.items():
            last = key[-1]
            if len(last) < 3 or not last.isalpha():
                continue
            for plural in _plurals(last):
                plural_key = (*key[:-1], plural)
                if plural_key in exact:
                    continue
                plural_matches = derived.setdefault(plural_key, [])
                for match in matches:
                    if match.ambiguous or any(
                        match.entry is other.entry for other in plural_matches
                    ):
                        continue
                    plural_matches.append(match)
        index = {key: tuple(matches) for key, matches in exact.items()}
        index.update({key: tuple(m) for key, m in derived.items() if m})
        lengths: dict[str, set[int]] = {}
        for key in index:
            lengths.setdefault(key[0], set()).add(len(key))
        self._index = index
        self._lengths = {
            first: tuple(sorted(sizes, reverse=True))
            for first, sizes in lengths.items()
        }

    def expand(self, text: str) -> list[Expansion]:
        """Every vocabulary phrase in `text`, left to right, longest match first.

        Matches do not overlap: at each word the longest phrase starting there wins
        ("heart attack", not "heart" then "attack"), and scanning resumes after it.
        A phrase that names two entries yields one expansion per entry, same span.
        """
        # Lower-case the whole text once when that keeps every offset (it does
        # unless a character lower-cases to two, like "İ"); the per-token path
        # handles the rest. Most texts are plain ASCII and skip normalizing.
        lowered = text.lower()
        source = lowered if len(lowered) == len(text) else text
        words = list(_TOKEN.finditer(source))
        if source is lowered and source.isascii() and "'" not in source:
            tokens = [w.group() for w in words]
        else:
            tokens = [_normalize_token(w.group()) for w in words]
        found: list[Expansion] = []
        lengths_for = self._lengths.get
        index = self._index
        i, n = 0, len(tokens)
        while i < n:
            step = 1
            for length in lengths_for(tokens[i], ()):
                if i + length > n:
                    continue
                matches = index.get(tuple(tokens[i : i + length]))
                if matches:
                    start, end = words[i].start(), words[i + length - 1].end()
                    found.extend(
                        Expansion(
                            start, end, m.phrase, m.entry, m.equivalents, m.ambiguous
                        )
                        for m in matches
                    )
                    step = length
                    break
            i += step
        return found

    def lookup(self, phrase: str) -> tuple[Entry, ...]:
        """The entries that `phrase` names exactly (after normalization), if any."""
        return tuple(m.entry for m in self._index.get(normalize(phrase), ()))

    def terms(self) -> set[str]:
        """Every canonical term and variant, as written (for spelling correction)."""
        return {name for entry in self.entries for name in entry.names}


@functools.cache
def load_vocabulary(path: Path | str = DEFAULT_PATH) -> Vocabulary:
    """Parse the vocabulary file once per process.

    Raises `ValueError("<path> line <n>: ...")` on the first malformed line, so a
    bad edit fails loudly at start-up and in the tests rather than silently
    weakening search.
    """
    return Vocabulary(tuple(_parse(Path(path))))


def _parse(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    first_line: dict[tuple[str, ...], int] = {}
    with path.open(encoding="utf-8") as lines:
        for number, raw in enumerate(lines, start=1):
            line = raw.rstrip("\r\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            columns = line.split("\t")
            if len(columns) != 3:
                raise _error(
                    path,
                    number,
                    "expected 3 tab-separated columns (canonical, kind, variants), "
                    f"found {len(columns)}",
                )
            canonical, kind, variant_field = (c.strip() for c in columns)
            if not canonical:
                raise _error(path, number, "empty canonical term")
            if kind not in KINDS:
                raise _error(
                    path,
                    number,
                    f"unknown kind {kind!r}; expected one of {', '.join(sorted(KINDS))}",
                )
            variants = (
                tuple(v.strip() for v in variant_field.split("|"))
                if variant_field
                else ()
            )
            if not all(variants):
                raise _error(path, number, f"empty variant in {variant_field!r}")
            for name in (canonical, *variants):
                if not _TOKEN.search(name):
                    raise _error(path, number, f"{name!r} has no letters or digits")
            key = normalize(canonical)
            if key in first_line:
                raise _error(
                    path,
                    number,
                    f"canonical {canonical!r} duplicates the one on line "
                    f"{first_line[key]}",
                )
            first_line[key] = number
            entries.append(Entry(canonical, kind, variants))
    return entries


def _error(path: Path, number: int, problem: str) -> ValueError:
    return ValueError(f"{path} line {number}: {problem}")
