"""'Did you mean': corrections for misspelled medical words.

The lexicon is every word of topic names and other names, the curated
vocabulary and the indexed question titles, with how often each occurs. A
query word of four letters or more that is not in it is replaced by the most
frequent lexicon word within a small edit distance (rapidfuzz, a C++
Levenshtein implementation).

Only words that are not ordinary English are judged: the lexicon knows the
site's medical words, not "left" or "numb", and a word it lacks is not
therefore misspelled ("left" is not a typo of "cleft"). General English is
the whole words of the embedding model's WordPiece vocabulary (about 20,000,
shipped as model/tokenizer.json), with their plain inflections.

`FocusSpelling` serves question understanding: it corrects only words that
no indexed document holds, and only into words of topic names, so that
"familial mediterean fever" still finds its topic.
"""

from __future__ import annotations

import functools
import json
import threading
from collections import Counter
from collections.abc import Callable
from typing import Generic, TypeVar

from rapidfuzz import fuzz, process

from askwell.language.text import STOPWORDS, words
from askwell.language.vocabulary import load_vocabulary
from askwell.search.embeddings import TOKENIZER_PATH
from askwell.search.models import SearchDocument
from askwell.topics.models import Topic

MIN_LENGTH = 4
MIN_SCORE = 80.0
# Focus corrections: longer words only, and closer than "did you mean" asks
# ("pretty" must not become "petty").
FOCUS_MIN_LENGTH = 5
FOCUS_MIN_SCORE = 85.0

T = TypeVar("T")


class _PerVersion(Generic[T]):
    """A value built by `build()`, rebuilt when the search index version moves."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._lock = threading.Lock()
        self._current: tuple[int, T] | None = None

    def forget(self) -> None:
        self._current = None

    def get(self, version: int) -> T:
        current = self._current
        if current is None or current[0] != version:
            with self._lock:
                current = self._current
                if current is None or current[0] != version:
                    current = (version, self._build())
                    self._current = current
        return current[1]


def _topic_name_words() -> Counter[str]:
    counts: Counter[str] = Counter()
    for name, other_names in Topic.objects.values_list("name", "other_names"):
        for text in (name, *other_names):
            counts.update(words(text))
    return counts


def _read_lexicon() -> tuple[Counter[str], list[str]]:
    counts = _topic_name_words()
    for term in load_vocabulary().terms():
        counts.update(words(term))
    titles = SearchDocument.objects.values_list("title", flat=True).distinct()
    for title in titles.iterator(5000):
        counts.update(words(title))
    choices = [w for w in counts if len(w) >= MIN_LENGTH - 1 and w.isalpha()]
    return counts, choices


def _read_topic_words() -> Counter[str]:
    return Counter(
        {
            word: n
            for word, n in _topic_name_words().items()
            if len(word) >= FOCUS_MIN_LENGTH and word.isalpha()
        }
    )


_lexicon = _PerVersion(_read_lexicon)
_topic_words = _PerVersion(_read_topic_words)


def forget() -> None:
    _lexicon.forget()
    _topic_words.forget()


def lexicon(version: int) -> tuple[Counter[str], list[str]]:
    """Every known word with how often it occurs, and what "did you mean" may suggest."""
    return _lexicon.get(version)


# Endings that make an ordinary word of an ordinary word ("numb" → "numbness").
ENGLISH_ENDINGS = ("s", "es", "ed", "ing", "ly", "ness")


@functools.cache
def english_words() -> frozenset[str]:
    """Ordinary English: the lowercase alphabetic whole words (not "##"
    word pieces) of the embedding model's WordPiece vocabulary."""
    with TOKENIZER_PATH.open(encoding="utf-8") as file:
        vocabulary = json.load(file)["model"]["vocab"]
    return frozenset(w for w in vocabulary if w.isalpha() and w.islower())


def is_english(word: str) -> bool:
    """`word` (lowercase) is an ordinary English word or a plain inflection of one."""
    known = english_words()
    if word in known:
        return True
    return any(
        word.endswith(end)
        and word[: -len(end)] in known
        # "sclerosiss" is a typo, not a plural
        and not (end in ("s", "es") and word.endswith("ss"))
        for end in ENGLISH_ENDINGS
    )


def _known(word: str, counts: Counter[str]) -> bool:
    """In the lexicon, a stopword, a plural of a word in the lexicon, or
    ordinary English (`is_english`)."""
    if word in counts or word in STOPWORDS or is_english(word):
        return True
    if word.endswith("ss"):  # "sclerosiss" is a typo, not a plural
        return False
    return any(
        word.endswith(end) and word[: -len(end)] in counts for end in ("s", "es")
    )


def suggest(text: str, version: int) -> str | None:
    """The text with unknown words corrected, or None when nothing needs correcting."""
    counts, choices = lexicon(version)
    if not counts:
        return None
    corrected = []
    changed = False
    for token in text.split():
        word = "".join(words(token))
        if len(word) < MIN_LENGTH or not word.isalpha() or _known(word, counts):
            corrected.append(token)
            continue
        matches = process.extract(
            word, choices, scorer=fuzz.ratio, score_cutoff=MIN_SCORE, limit=5
        )
        if not matches:
            corrected.append(token)
            continue
        best = max(matches, key=lambda m: (m[1], counts[m[0]]))[0]
        corrected.append(best)
        changed = True
    return " ".join(corrected) if changed else None


class FocusSpelling:
    """Corrections for question understanding (see language.understanding.find_focus).

    A word that names a topic, is in the vocabulary or a question title, or
    that some indexed document holds (`documents_with(word)`, the lexical
    backend's counts) is not misspelled. PostgreSQL's counts cover only its
    commonest words, so the lexicon does most of the work there.
    """

    def __init__(self, version: int, documents_with: Callable[[str], int]) -> None:
        self.topic_words = _topic_words.get(version)
        self.lexicon, _ = lexicon(version)
        self.choices = list(self.topic_words)
        self.documents_with = documents_with

    def known(self, word: str) -> bool:
        return (
            len(word) < FOCUS_MIN_LENGTH
            or not word.isalpha()
            or _known(word, self.lexicon)
            or self.documents_with(word) > 0
        )

    @functools.lru_cache(maxsize=10_000)  # noqa: B019 - one instance per index version
    def correct(self, word: str) -> str | None:
        match = process.extractOne(
            word, self.choices, scorer=fuzz.ratio, score_cutoff=FOCUS_MIN_SCORE
        )
        return match[0] if match else None
