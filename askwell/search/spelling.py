"""'Did you mean': corrections for misspelled medical words.

The lexicon is every word of topic names and other names, the curated
vocabulary and the indexed question titles, with how often each occurs. A
query word of four letters or more that is not in it is replaced by the most
frequent lexicon word within a small edit distance (rapidfuzz, a C++
Levenshtein implementation).
"""

from __future__ import annotations

import threading
from collections import Counter

from rapidfuzz import fuzz, process

from askwell.search.models import SearchDocument
from askwell.search.text import STOPWORDS, words
from askwell.search.vocabulary import load_vocabulary
from askwell.topics.models import Topic

MIN_LENGTH = 4
MIN_SCORE = 80.0
BODY_CHARS = 1500

_lexicon: tuple[int, Counter[str], list[str]] | None = None
_lock = threading.Lock()


def lexicon(version: int) -> tuple[Counter[str], list[str]]:
    global _lexicon
    if _lexicon is None or _lexicon[0] != version:
        with _lock:
            if _lexicon is None or _lexicon[0] != version:
                counts: Counter[str] = Counter()
                for name, other_names in Topic.objects.values_list(
                    "name", "other_names"
                ):
                    for text in (name, *other_names):
                        counts.update(words(text))
                for term in load_vocabulary().terms():
                    counts.update(words(term))
                for title in (
                    SearchDocument.objects.values_list("title", flat=True)
                    .distinct()
                    .iterator(5000)
                ):
                    counts.update(words(title))
                choices = [
                    w for w in counts if len(w) >= MIN_LENGTH - 1 and w.isalpha()
                ]
                _lexicon = (version, counts, choices)
    return _lexicon[1], _lexicon[2]


def _known(word: str, counts: Counter[str]) -> bool:
    """In the lexicon, a stopword, or a plural of a word in the lexicon."""
    if word in counts or word in STOPWORDS:
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
