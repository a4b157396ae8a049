"""What a reader's message is about (its focus) and what it asks (its type).

Focus: the topics whose names or other names (MedQuAD's "also called"
synonyms, and the curated vocabulary's equivalents) occur in the text, longest
phrase first; "my mom has MS" finds Multiple Sclerosis through the
vocabulary's "ms". Type: rules over the wording ("what causes", "how is it
treated", "side effects"), scored so that the question's own sentence counts
more than background. Both feed the ranking (see ranking.py).
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from askwell.search.text import STOPWORDS, words
from askwell.search.vocabulary import load_vocabulary
from askwell.topics.models import Topic

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
        for topic_id, name, other_names, weight in rows:
            self.names[topic_id] = name
            for phrase in {name, *other_names}:
                key = tuple(words(phrase))
                if _usable(key):
                    self.phrases[key].append((topic_id, weight))
        for candidates in self.phrases.values():
            # The most answered topic first when several share a name.
            candidates.sort(key=lambda c: (-c[1], c[0]))

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


def _usable(key: tuple[str, ...]) -> bool:
    """Skip names that are empty, a single stopword, or a lone short token."""
    if not key:
        return False
    return not (
        len(key) == 1 and (key[0] in STOPWORDS or len(key[0]) < 2 or key[0].isdigit())
    )


_phrases: tuple[int, TopicPhrases] | None = None
_lock = threading.Lock()


def topic_phrases(version: int) -> TopicPhrases:
    """The phrase table, rebuilt when the search data version changes."""
    global _phrases
    if _phrases is None or _phrases[0] != version:
        with _lock:
            if _phrases is None or _phrases[0] != version:
                from django.db.models import Count

                rows = Topic.objects.annotate(weight=Count("questions")).values_list(
                    "pk", "name", "other_names", "weight"
                )
                _phrases = (version, TopicPhrases(rows))
    return _phrases[1]


def find_focus(
    text: str, phrases: TopicPhrases, *, limit: int = 3
) -> tuple[list[FocusMatch], list[str]]:
    """Topics named in `text`, best first, and the vocabulary's equivalent terms."""
    tokens = words(text)
    matches: dict[int, FocusMatch] = {}
    for start, length, topic_id in phrases.find(tokens):
        _keep(
            matches,
            FocusMatch(
                topic_id,
                phrases.names[topic_id],
                " ".join(tokens[start : start + length]),
                length,
                start,
            ),
        )
    expansions: list[str] = []
    for expansion in load_vocabulary().expand(text):
        for term in expansion.equivalents:
            expansions.append(term)
            key = tuple(words(term))
            candidates = phrases.phrases.get(key)
            if candidates and _usable(key):
                position = len(words(text[: expansion.start]))
                # The reader's own words decide how strong the match is,
                # not the length of the topic's name.
                said = words(text[expansion.start : expansion.end])
                topic_id = candidates[0][0]
                _keep(
                    matches,
                    FocusMatch(
                        topic_id,
                        phrases.names[topic_id],
                        text[expansion.start : expansion.end],
                        len(said),
                        position,
                        True,
                    ),
                )
    ranked = sorted(
        matches.values(), key=lambda m: (-m.length, m.via_vocabulary, m.position)
    )
    return ranked[:limit], list(dict.fromkeys(expansions))


def _keep(matches: dict[int, FocusMatch], match: FocusMatch) -> None:
    old = matches.get(match.topic_id)
    if old is None or (match.length, -match.position) > (old.length, -old.position):
        matches[match.topic_id] = match


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
        r"\b(what (is|are)|tell me (about|more)|information (on|about)|literature|learn (more )?about|explain)\b",
        0.5,
    ),
]
_COMPILED = [(t, re.compile(p), w) for t, p, w in TYPE_RULES]
_SENTENCE = re.compile(r"[^.?!\n]+[.?!]?")


def find_types(text: str) -> list[tuple[str, float]]:
    """Question types the wording points to, best first.

    Sentences that end with "?" count double: in a long message the question
    itself says more than the background around it.
    """
    scores: dict[str, float] = defaultdict(float)
    for sentence in _SENTENCE.findall(text.casefold()):
        factor = 2.0 if sentence.strip().endswith("?") else 1.0
        for qtype, pattern, weight in _COMPILED:
            if pattern.search(sentence):
                scores[qtype] += weight * factor
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def understand(text: str, phrases: TopicPhrases) -> Understanding:
    focus, expansions = find_focus(text, phrases)
    return Understanding(tuple(focus), tuple(find_types(text)), tuple(expansions))
