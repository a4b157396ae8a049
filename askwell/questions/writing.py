"""Aids shown to an expert while writing an answer: reading level and jargon.

Health-literacy guidance asks for text a reader with eight years of schooling
can follow. The Flesch-Kincaid grade comes from textstat (syllables from the
CMU pronouncing dictionary, bundled offline). Jargon: clinical terms of the
search vocabulary (askwell/language/vocabulary.tsv) that have a plain-language
equivalent there ("myocardial infarction" -> "heart attack").
"""

from __future__ import annotations

from dataclasses import dataclass

import textstat
from rapidfuzz import fuzz

from askwell.language.vocabulary import Entry, load_vocabulary
from askwell.lib.markdown import html_to_text, render_markdown

TARGET_GRADE = 8
# Kinds of vocabulary entries whose canonical name is clinical wording; drug
# names are not jargon (the generic name is what the label says).
JARGON_KINDS = frozenset({"condition", "symptom", "procedure", "test", "anatomy"})


@dataclass(frozen=True)
class Jargon:
    term: str  # as the author wrote it
    plain: str  # a plain-language alternative


@dataclass(frozen=True)
class ReadingLevel:
    grade: float | None  # None when there is too little text to judge
    words: int

    @property
    def easy_enough(self) -> bool:
        return self.grade is not None and self.grade <= TARGET_GRADE


MIN_WORDS = 20
# rapidfuzz ratio above which a variant is the same word spelled differently.
SPELLING_VARIANT = 75


@dataclass(frozen=True)
class Preview:
    html: str  # sanitised, as readers will see it
    level: ReadingLevel
    jargon: list[Jargon]


def preview(markdown: str) -> Preview:
    """An answer as it will look, with its reading level and jargon, from
    one rendering of the Markdown (the costliest step)."""
    html = render_markdown(markdown)
    text = html_to_text(html)
    return Preview(html, _reading_level(text), _find_jargon(text))


def reading_level(markdown: str) -> ReadingLevel:
    """The Flesch-Kincaid grade of an answer's text (Markdown syntax removed)."""
    return _reading_level(html_to_text(render_markdown(markdown)))


def _reading_level(text: str) -> ReadingLevel:
    count = len(text.split())
    if count < MIN_WORDS:
        return ReadingLevel(None, count)
    return ReadingLevel(round(max(textstat.flesch_kincaid_grade(text), 0.0), 1), count)


def _plain_name(entry: Entry) -> str | None:
    """The entry's first lay variant: lower case (not an abbreviation),
    longer than four letters or several words, and not a spelling variant of
    the clinical term ("oedema" for "edema")."""
    for variant in entry.variants:
        if (
            variant.islower()
            and (" " in variant or len(variant) > 4)
            and fuzz.ratio(variant, entry.canonical) < SPELLING_VARIANT
        ):
            return variant
    return None


def find_jargon(markdown: str) -> list[Jargon]:
    """Clinical terms in the text that have a plain alternative, each once."""
    return _find_jargon(html_to_text(render_markdown(markdown)))


def _find_jargon(text: str) -> list[Jargon]:
    found: dict[str, Jargon] = {}
    for expansion in load_vocabulary().expand(text):
        entry = expansion.entry
        if entry.kind not in JARGON_KINDS or expansion.phrase != entry.canonical:
            continue
        plain = _plain_name(entry)
        if plain:
            said = text[expansion.start : expansion.end]
            found.setdefault(said.casefold(), Jargon(said, plain))
    return list(found.values())
