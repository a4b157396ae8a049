"""What a contributor's avatar shows when they have no photo: the initials
of their name, on a background colour that stays the same for that name.

Initials are whole grapheme clusters (the `regex` module's \\X, which
follows Unicode's UAX #29 extended grapheme clusters), so an accented letter keeps its accent, a
flag or a family emoji stays one picture, and a Hangul syllable written
as jamo stays one syllable: an avatar never shows half a character. A
name with nothing to show (empty, only spaces, punctuation or control
characters) gets "?", never an empty circle.

The colours are PALETTE_SIZE classes in site.css (`.avatar--colour-N`),
each with text that meets WCAG AA contrast on its background
(askwell/lib/tests/test_avatars.py checks them); the site's
Content-Security-Policy allows no inline styles, so a name picks a class.
"""

from __future__ import annotations

import hashlib
import unicodedata

import regex

# How many background colours site.css defines for initials.
PALETTE_SIZE = 12
# Shown when a name has no letter, digit or symbol to take.
NO_INITIALS = "?"

# Titles and honorifics before a name, compared without case or dots: never
# initials ("Dr. Erin Walsh" is EW, not DE; "Prof. Dr. Lena Fischer" is LF).
TITLES = frozenset(
    [
        "dr",
        "doctor",
        "prof",
        "professor",
        "mr",
        "mrs",
        "ms",
        "mx",
        "miss",
        "master",
        "sir",
        "dame",
        "lord",
        "lady",
        "rev",
        "revd",
        "reverend",
        "fr",
        "father",
        "sr",
        "sister",
        "br",
        "brother",
        "pastor",
        "rabbi",
        "imam",
        "hon",
        "capt",
        "captain",
        "col",
        "colonel",
        "maj",
        "major",
        "lt",
        "gen",
        "herr",
        "frau",
        "mme",
        "mlle",
        "dott",
        "dra",
    ]
)
# Generational suffixes and credentials written after a name without a
# comma ("Erin Walsh MD"); after a comma everything is credentials.
SUFFIXES = frozenset(
    [
        "jr",
        "sr",
        "ii",
        "iii",
        "iv",
        "md",
        "phd",
        "mph",
        "mba",
        "msc",
        "bsc",
        "rn",
        "np",
        "pharmd",
        "dds",
        "dmd",
        "dnp",
        "msn",
        "bsn",
        "mbbs",
        "mbchb",
        "frcp",
        "frcs",
        "facp",
        "lpn",
        "cnm",
        "crna",
        "lcsw",
    ]
)
# Credentials that are also family names ("Yo-Yo Ma", "Anh Do"): a suffix
# only when written in capitals.
CAPITAL_SUFFIXES = frozenset({"DO", "MA", "BA", "PA", "MS"})
# Words an organization's initials skip ("The Mayo Clinic" is MC).
MINOR_WORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "for",
        "a",
        "an",
        "in",
        "on",
        "at",
        "to",
        "&",
        "de",
        "la",
        "le",
        "du",
        "der",
        "die",
    ]
)

# A grapheme worth showing holds a letter, a digit or a picture (an emoji,
# a flag's regional indicators); not only a quote, a bracket, a combining
# mark left alone or an invisible control character.
_SHOWABLE = regex.compile(r"[\p{L}\p{N}\p{So}\p{Extended_Pictographic}]")
_GRAPHEME = regex.compile(r"\X")
# A word: what lies between spaces (any Unicode space or separator).
_WORDS = regex.compile(r"[^\s\p{Z}]+")


def _key(word: str) -> str:
    """A word as the title and suffix lists spell it: "Dr." → "dr"."""
    return unicodedata.normalize("NFKC", word).casefold().strip(".")


def _graphemes(text: str) -> list[str]:
    """The graphemes of `text` worth showing, whole (UAX #29 clusters)."""
    return [g for g in _GRAPHEME.findall(text) if _SHOWABLE.search(g)]


def _capital(grapheme: str) -> str:
    """`grapheme` in capitals when that keeps it one grapheme: "ß".upper()
    is "SS" and "ŉ".upper() is "ʼN", two graphemes, so they stay as written."""
    upper = grapheme.upper()
    return upper if len(_GRAPHEME.findall(upper)) == 1 else grapheme


def _is_suffix(word: str) -> bool:
    bare = word.strip(".")
    return _key(word) in SUFFIXES or bare in CAPITAL_SUFFIXES


def _words(name: str) -> list[str]:
    """The words of `name` worth initials: credentials after the first
    comma, titles before and suffixes after go, and so do words with
    nothing to show ("-", "&")."""
    words = [w for w in _WORDS.findall(name.split(",", 1)[0]) if _graphemes(w)]
    while len(words) > 1 and _key(words[0]) in TITLES:
        words.pop(0)
    while len(words) > 1 and _is_suffix(words[-1]):
        words.pop()
    return words


def initials(name: str, *, organization: bool = False) -> str:
    """One or two graphemes for `name`'s avatar, never empty.

    A person: the first letters of the first and last words ("Dr. Erin
    Walsh, MD" → "EW"; "Madonna" → "M"). An organization: the first
    letters of its first two words that matter ("Northfield Multiple
    Sclerosis Society" → "NM"), or the first two letters of a one-word
    name ("Cochrane" → "Co").
    """
    words = _words(name)
    if not words:
        shown = _graphemes(name)
        return _capital(shown[0]) if shown else NO_INITIALS
    if organization:
        major = [w for w in words if _key(w) not in MINOR_WORDS] or words
        if len(major) == 1:
            first, *rest = _graphemes(major[0])
            return _pair(_capital(first), rest[0] if rest else "")
        return _pair(_initial(major[0]), _initial(major[1]))
    if len(words) == 1:
        return _initial(words[0])
    return _pair(_initial(words[0]), _initial(words[-1]))


def _initial(word: str) -> str:
    return _capital(_graphemes(word)[0])


def _pair(first: str, second: str) -> str:
    """Two initials, or the first alone when side by side they would make
    one grapheme (two regional indicators make a flag; a Hangul consonant
    and a vowel make a syllable)."""
    together = first + second
    return together if len(_GRAPHEME.findall(together)) == 2 else first


def colour(name: str) -> int:
    """A background colour for `name`, 0 to PALETTE_SIZE - 1: the same on
    every page and every run (not Python's hash(), which changes per
    process), and the same for "Erin Walsh" and "erin  walsh"."""
    key = " ".join(_WORDS.findall(unicodedata.normalize("NFC", name).casefold()))
    digest = hashlib.blake2b(key.encode("utf-8", "replace"), digest_size=4).digest()
    return int.from_bytes(digest, "big") % PALETTE_SIZE
