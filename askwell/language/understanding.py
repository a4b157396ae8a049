"""What a reader's message is about (its focus) and what it asks (its type).

Focus: the topics whose names or other names (MedQuAD's "also called"
synonyms, and the curated vocabulary's equivalents) occur in the text, longest
phrase first; "my mom has MS" finds Multiple Sclerosis through the
vocabulary's "ms". Type: rules over the wording ("what causes", "how is it
treated", "side effects"), scored so that the question's own sentence counts
more than background. Both feed search's ranking (askwell/search/ranking.py).

Pure functions over the text: the topics come in as a `TopicPhrases` table
built from rows, which search builds from the database once per index
version (askwell/search/phrases.py).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from askwell.language.text import STOPWORDS, WORD, words
from askwell.language.vocabulary import load_vocabulary

MAX_PHRASE = 8


@dataclass(frozen=True)
class FocusMatch:
    topic_id: int
    name: str
    phrase: str  # the words of the text that matched
    length: int  # words matched
    position: int  # index of the first matched word
    via_vocabulary: bool = False


@dataclass(frozen=True)
class Understanding:
    focus: tuple[FocusMatch, ...]
    types: tuple[tuple[str, float], ...]  # (question type, score), best first
    expansions: tuple[str, ...] = field(
        default=()
    )  # equivalent terms found by the vocabulary

    @property
    def focus_ids(self) -> list[int]:
        return [m.topic_id for m in self.focus]

    @property
    def type(self) -> str | None:
        return self.types[0][0] if self.types else None


# --- focus ------------------------------------------------------------------------


class TopicPhrases:
    """Every topic name and other name, as word tuples, for longest-match lookup."""

    def __init__(self, rows: Iterable[tuple[int, str, list[str], int]]) -> None:
        self.phrases: dict[tuple[str, ...], list[tuple[int, int]]] = defaultdict(list)
        self.names: dict[int, str] = {}
        ranks: dict[tuple[str, ...], list[tuple[bool, int, int]]] = defaultdict(list)
        for topic_id, name, other_names, weight in rows:
            self.names[topic_id] = name
            primary = tuple(words(name))
            for key in {primary, *(tuple(words(p)) for p in other_names)}:
                if _usable(key):
                    ranks[key].append((key != primary, -weight, topic_id))
        # When several topics share a phrase: the one it names first (not an
        # "also called"), then the most answered.
        for key, candidates in ranks.items():
            self.phrases[key] = [(pk, -w) for _, w, pk in sorted(candidates)]
        # Topics whose names differ only in form ("Wilson disease" and
        # "Wilson's disease", "Spastic paraplegia 11" and "spastic paraplegia
        # type 11"): one condition, imported from two sources.
        by_signature: dict[tuple[frozenset[str], bool], list[int]] = defaultdict(list)
        for topic_id, name in self.names.items():
            signature = name_signature(name)
            if signature[0]:
                by_signature[signature].append(topic_id)
        self._same: dict[int, list[int]] = {
            pk: [other for other in group if other != pk]
            for group in by_signature.values()
            if len(group) > 1
            for pk in group
        }

    def same_as(self, topic_id: int) -> list[int]:
        """Other topics whose names say the same as this one's."""
        return self._same.get(topic_id, [])

    def find(self, tokens: list[str]) -> list[tuple[int, int, int]]:
        """(start, length, topic_id) for longest non-overlapping matches, left to right."""
        found = []
        i = 0
        while i < len(tokens):
            for n in range(min(MAX_PHRASE, len(tokens) - i), 0, -1):
                candidates = self.phrases.get(tuple(tokens[i : i + n]))
                if candidates:
                    found.append((i, n, candidates[0][0]))
                    i += n
                    break
            else:
                i += 1
        return found


# Words that name the kind of condition, not which one, and filler.
_KIND_WORDS = frozenset(
    ["disease", "diseases", "syndrome", "disorder", "disorders", "condition"]
)
_FILLER_WORDS = frozenset(["the", "of", "and", "in", "with", "for", "type", "s"])


def name_signature(name: str) -> tuple[frozenset[str], bool]:
    """A topic name's distinguishing words, in a form that ignores possessives,
    plurals, order and filler, and whether it names a kind ("disease",
    "syndrome"): "Blood" is not "Blood Disorders". Empty words when nothing
    distinguishing is left."""
    found = set()
    kind = False
    for word in words(name):
        word = word.split("'")[0]
        if word in _KIND_WORDS:
            kind = True
            continue
        if word in _FILLER_WORDS:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        found.add(word)
    if not any(not w.isdigit() for w in found):
        return frozenset(), kind
    return frozenset(found), kind


def _usable(key: tuple[str, ...]) -> bool:
    """Skip names that are empty, a single stopword, or a lone short token."""
    if not key:
        return False
    return not (
        len(key) == 1 and (key[0] in STOPWORDS or len(key[0]) < 2 or key[0].isdigit())
    )


# How much each cue adds to a topic's salience (see find_focus). Set on the
# LiveQA development questions (bench/search_quality.py, focus accuracy).
FIRST_SENTENCE = 1.0
ASKED = 0.5
REPEATED = 0.5
MAX_REPEATS = 2
# ...and what a topic loses when the only words naming it are the ones that
# say what kind of question this is ("side effects" naming Drug Reactions,
# "blood test" naming Venipuncture, "surgery", "my doctor").
TYPE_WORDS = 1.0


def find_focus(
    text: str,
    phrases: TopicPhrases,
    *,
    limit: int = 3,
    spelling: Spelling | None = None,
) -> tuple[list[FocusMatch], list[str]]:
    """Topics named in `text`, most salient first, and the vocabulary's equivalent terms.

    A topic's salience: the words of its longest mention ("type 2 diabetes"
    beats "diabetes"), plus a bonus when it is named in the first sentence
    (a subject line or an opening question), in a sentence that asks ("?"),
    and when it is named again. A long message names much in passing
    ("after my surgery", "my doctor"); what it is about is usually in its
    subject and its question, and comes back.

    `spelling` offers corrections for words the index does not know
    ("mediterean"); a correction counts only where it completes a topic's
    name ("familial mediterranean fever"), and then joins the returned terms
    so that the lexical search looks for the right spelling too.
    """
    tokens = words(text)
    sentence_of, asking = _sentences(text)
    cue_words = _type_cue_positions(text)
    mentions: dict[int, list[FocusMatch]] = defaultdict(list)
    expansions: list[str] = []
    fixed = _corrected(tokens, spelling)
    for start, length, topic_id in phrases.find(fixed):
        span = range(start, start + length)
        expansions.extend(fixed[i] for i in span if fixed[i] != tokens[i])
        mentions[topic_id].append(
            FocusMatch(
                topic_id,
                phrases.names[topic_id],
                " ".join(tokens[start : start + length]),
                length,
                start,
            )
        )
    word_index = _word_index(text)
    for expansion in load_vocabulary().expand(text):
        for term in expansion.equivalents:
            expansions.append(term)
            key = tuple(words(term))
            candidates = phrases.phrases.get(key)
            if candidates and _usable(key):
                # The reader's own words decide how strong the match is,
                # not the length of the topic's name.
                said = words(text[expansion.start : expansion.end])
                topic_id = candidates[0][0]
                mentions[topic_id].append(
                    FocusMatch(
                        topic_id,
                        phrases.names[topic_id],
                        text[expansion.start : expansion.end],
                        len(said),
                        word_index(expansion.start),
                        True,
                    )
                )

    def salience(found: list[FocusMatch]) -> float:
        sentences = {sentence_of(m.position) for m in found}
        only_cues = all(
            cue_words.issuperset(range(m.position, m.position + m.length))
            for m in found
        )
        return (
            (1 if only_cues else max(m.length for m in found))
            + FIRST_SENTENCE * (0 in sentences)
            + ASKED * bool(sentences & asking)
            + REPEATED * min(len(sentences) - 1, MAX_REPEATS)
            - TYPE_WORDS * only_cues
        )

    ranked = sorted(
        mentions.values(),
        key=lambda found: (
            -salience(found),
            _best(found).via_vocabulary,
            _first(found),
        ),
    )
    return [_best(found) for found in ranked[:limit]], list(dict.fromkeys(expansions))


# At most this many unknown words of one message are looked up for a correction,
MAX_CORRECTIONS = 6
# ...among at most this many distinct words, longest first (whether a word is
# known may take a query of the lexical index).
MAX_SPELLING_CHECKS = 64


class Spelling(Protocol):
    def known(self, word: str) -> bool: ...
    def correct(self, word: str) -> str | None: ...


def _corrected(tokens: list[str], spelling: Spelling | None) -> list[str]:
    """`tokens` with the corrections `spelling` offers for the longest unknown words."""
    if spelling is None:
        return tokens
    fixed = list(tokens)
    tried: dict[str, str | None] = {}
    known: set[str] = set()
    for i in sorted(range(len(tokens)), key=lambda i: -len(tokens[i])):
        word = tokens[i]
        if word in known:
            continue
        if word not in tried:
            if len(known) + len(tried) >= MAX_SPELLING_CHECKS:
                break
            if spelling.known(word):
                known.add(word)
                continue
            if len(tried) >= MAX_CORRECTIONS:
                break
            tried[word] = spelling.correct(word)
        fixed[i] = tried[word] or word
    return fixed


def _best(found: list[FocusMatch]) -> FocusMatch:
    """The longest mention, the earliest of equals; the reader's own words over the vocabulary's."""
    return min(found, key=lambda m: (-m.length, m.via_vocabulary, m.position))


def _first(found: list[FocusMatch]) -> int:
    return min(m.position for m in found)


def _word_index(text: str) -> Callable[[int], int]:
    """For a character offset into `text`, how many of its `words()` start
    before it: the word position of a match found in the text itself.

    One pass over the text, then a binary search per offset (counting the
    words of each match's prefix made long texts quadratic)."""
    folded = text.casefold()
    starts = [m.start() for m in WORD.finditer(folded)]
    if len(folded) == len(text):
        return lambda offset: bisect.bisect_left(starts, offset)
    # A character that folds to several ("ß" -> "ss") moves the offsets.
    shifted = list(itertools.accumulate((len(c.casefold()) for c in text), initial=0))
    return lambda offset: bisect.bisect_left(starts, shifted[offset])


def _type_cue_positions(text: str) -> set[int]:
    """Indexes of the words that the question-type rules match on."""
    lowered = _without_background(text.casefold())
    spans = sorted(
        match.span()
        for _, pattern, _ in _COMPILED
        for match in pattern.finditer(lowered)
    )
    if not spans:
        return set()
    # Words and spans both in order of their start: one sweep over the two,
    # keeping the furthest end of the spans begun so far.
    found: set[int] = set()
    next_span, reach = 0, -1
    for i, word in enumerate(WORD.finditer(lowered)):
        at = word.start()
        while next_span < len(spans) and spans[next_span][0] <= at:
            reach = max(reach, spans[next_span][1])
            next_span += 1
        if at < reach:
            found.add(i)
    return found


_SENTENCE_SPLIT = re.compile(r"[^.?!\n]+[.?!]*")


def _sentences(text: str) -> tuple[Callable[[int], int], set[int]]:
    """Which sentence each word index falls in, and the sentences that ask."""
    ends: list[int] = []  # word index just past each sentence
    asking: set[int] = set()
    count = 0
    for number, sentence in enumerate(_SENTENCE_SPLIT.findall(text)):
        count += len(words(sentence))
        ends.append(count)
        if sentence.rstrip().endswith("?"):
            asking.add(number)

    def sentence_of(position: int) -> int:
        return bisect.bisect_right(ends, position)

    return sentence_of, asking


# --- question type ------------------------------------------------------------------

# (question type, pattern, weight). Patterns are matched on lower-case text.
TYPE_RULES: list[tuple[str, str, float]] = [
    (
        "treatment",
        r"\b(treat(s|ed|ing|ment|ments)?|cure[sd]?|curable|therap(y|ies)|remed(y|ies)|manag(e|ing|ement)|get rid of|relie(f|ve)|heal|medications? for|medicines? for|drugs? for|surgery|operation|options)\b",
        1.0,
    ),
    (
        "treatment",
        r"\b(would|will|does|can|could|do) [\w\s']{0,40}\b(help|work)\b",
        0.8,
    ),
    (
        "treatment",
        r"\b(help (him|her|me|my|with|them|us)|what (can|should) (i|we|he|she) (do|give|take|use)|how (can|do|to|should) (i |we |you |one )?(stop|fix|reduce|ease|improve|get better|lower|control|manage|overcome|deal with|cope with)|exercises? (for|to)|any (advice|suggestions?)|need (help|advice)|medicines?|medications?|pills?|what to do)\b",
        0.5,
    ),
    (
        "causes",
        r"\b(caus(e|es|ed|ing)|why (do|does|did|am|is|are)|reason|trigger(s|ed)?|due to|comes? from)\b",
        1.0,
    ),
    ("symptoms", r"\b(symptoms?|signs?|feel(s|ing)? like|what does it feel)\b", 1.0),
    (
        "exams and tests",
        r"\b(diagnos(e|ed|is|tic)|tests?|testing|exam(s|ination)?|screen(ing)?|detect(ed)?|scan|biopsy|check for)\b",
        0.9,
    ),
    (
        "prevention",
        r"\b(prevent(ed|ing|ion)?|avoid(ing)?|reduce (the |my )?risk|protect|vaccin\w*)\b",
        1.0,
    ),
    (
        "outlook",
        r"\b(prognosis|outlook|life expectancy|surviv(e|al)|fatal|terminal|how long (will|can|do|does|is)|recover(y)?|go away|die\b|dying|death)\b",
        1.0,
    ),
    (
        "susceptibility",
        r"\b(who (gets|is at risk|can get)|at risk|risk factors?|chances? of (getting|having)|more likely|susceptib\w*|get it from)\b",
        1.0,
    ),
    (
        "frequency",
        r"\b(how common|how many people|prevalen\w*|incidence|how rare|rare is)\b",
        1.0,
    ),
    (
        "inheritance",
        r"\b(inherit\w*|hereditary|run in (the )?famil\w*|pass(ed)? (it )?(on|down)|genetic(ally)?|carrier)\b",
        1.0,
    ),
    ("genetic changes", r"\b(genes?|mutations?|chromosom\w*|dna)\b", 0.7),
    (
        "complications",
        r"\b(complications?|lead to|long[- ]term effects?|damage)\b",
        0.8,
    ),
    ("side effects", r"\b(side[- ]effects?|adverse|reactions? to|after taking)\b", 1.2),
    (
        "dose",
        r"\b(dos(e|es|age)|how much [\w\s]{0,30}?\b(should|can|to|take)\b|how many (pills|tablets|mg)|mg\b|milligrams?|overdose)\b",
        1.0,
    ),
    (
        "interactions with medications",
        r"\b(interact(ion|ions|s)?|(take|taking|mix|mixing|combine|combining) [\w\s]{0,30}\b(with|and|together)\b|together with)\b",
        0.9,
    ),
    (
        "usage",
        r"\b(how (to|do i|should i) (take|use|apply)|when (to|should i) take|with food|empty stomach|taper(ing)?|stop taking)\b",
        1.0,
    ),
    (
        "indication",
        r"\b(used for|use(d)? to treat|what is it for|prescribed for|why (was|am) i (given|prescribed))\b",
        1.0,
    ),
    (
        "contraindication",
        r"\b(contraindicat\w*|should not (take|use)|safe (to take|for)|pregnan\w*|breastfeed\w*)\b",
        0.7,
    ),
    (
        "storage and disposal",
        r"\b(stor(e|age|ing)|dispos(e|al)|expir(ed|ation)|refrigerat\w*)\b",
        1.0,
    ),
    (
        "research",
        r"\b(research|clinical trials?|studies|study|new (treatment|drug)s?|latest)\b",
        0.6,
    ),
    (
        "support groups",
        r"\b(support groups?|organi[sz]ations?|foundation|where can i (find|get)|contact|specialist|doctor who)\b",
        0.6,
    ),
    ("dietary", r"\b(diet|eat(ing)?|foods?|drink(ing)?|nutrition)\b", 0.6),
    (
        "information",
        r"\b(what (is|are)|tell me (about|more)|info(rmation)?|literature|learn (more )?about|know (more )?about|anything about|explain|details|facts)\b",
        0.5,
    ),
    (
        "information",
        r"\b((any|more|some|all|much|general|good|basic|send|mail|give) (me )?(the )?(info|information|literature|material)|(info|information) (on|about|regarding)|pam(ph|p|f)lets?|brochures?|leaflets?|books? (about|on)|want to (know|learn|understand) (all|everything|more|about)|what it is)\b",
        0.8,
    ),
]
_COMPILED = [(t, re.compile(p), w) for t, p, w in TYPE_RULES]

# Wording that tells the reader's story rather than what they ask: "I was
# diagnosed with lupus" says they have it, not that they ask how it is
# diagnosed. Blanked (same length, so word positions hold) before the rules run.
_BACKGROUND = re.compile(
    r"\bdiagnos(?:ed|is)\s+(?:with|as|was|of\s+(?:my|his|her|our))\b"
)


def _without_background(lowered: str) -> str:
    return _BACKGROUND.sub(lambda m: " " * len(m.group()), lowered)


_SENTENCE = re.compile(r"[^.?!\n]+[.?!]?")


def find_types(text: str) -> list[tuple[str, float]]:
    """Question types the wording points to, best first.

    Sentences that end with "?" count double: in a long message the question
    itself says more than the background around it.
    """
    scores: dict[str, float] = defaultdict(float)
    for sentence in _SENTENCE.findall(_without_background(text.casefold())):
        factor = 2.0 if sentence.strip().endswith("?") else 1.0
        for qtype, pattern, weight in _COMPILED:
            if pattern.search(sentence):
                scores[qtype] += weight * factor
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def understand(
    text: str,
    phrases: TopicPhrases,
    spelling: Spelling | None = None,
) -> Understanding:
    focus, expansions = find_focus(text, phrases, spelling=spelling)
    return Understanding(tuple(focus), tuple(find_types(text)), tuple(expansions))
