"""Turn MedQuAD documents into canonical Askwell records.

The mapping (issue #3):
- each source website is an organization contributor (medquad.SOURCES);
- each document's Focus is a topic, merged across sources by a case- and
  punctuation-insensitive key, under a parent for its category, carrying the
  synonyms, UMLS CUIs and semantic types;
- each QA pair is a question, and the same question asked by several sources
  (same focus, same question type, same occurrence within its document) is
  one question with several answers, one per source;
- each pair with answer text is an answer by its source organization, with
  the document URL as its source link and `<SOURCE>_<stem>_Sec<N>` as its
  external id; a question no source answers stays open, awaiting an expert.

Merging needs every document first, so conversion holds the collection in
memory (about 60 MB for all of MedQuAD).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from askwell.importers import medquad
from askwell.importers.jsonl import Problem
from askwell.importers.medquad import SOURCES, MedquadDocument, QAPair
from askwell.importers.records import (
    AnswerRecord,
    ContributorRecord,
    QuestionRecord,
    Record,
    Ref,
    TopicRecord,
)
from askwell.lib.progress import Progress, Stream
from askwell.questions.models import QuestionType

if TYPE_CHECKING:
    from askwell.importers.sources import Item, Reading

SOURCE = "medquad"

# Category parents, keyed by what the XML's <Category> says. Documents from the
# disease sites (GARD, GHR, NINDS...) carry no category: they are about
# diseases and conditions; the herbs collection is its own category.
CATEGORIES = {
    "disease": (
        "Diseases and Conditions",
        "Illnesses, disorders and health conditions.",
    ),
    "drug": (
        "Drugs",
        "Medicines: what they are for, how to take them, their side effects.",
    ),
    "herb": ("Herbs and Supplements", "Herbs, vitamins and other dietary supplements."),
    "other": (
        "Other Health Topics",
        "Tests, procedures, healthy living and other topics.",
    ),
}
CATEGORY_OF_XML = {"Disease": "disease", "Drug": "drug", "Other": "other"}
HERB_SOURCES = {"MPlusHerbsSupplements"}
QUESTION_TYPES = set(QuestionType.values)

_NON_WORD = re.compile(r"[\W_]+")
_ARE = re.compile(r"\bis \(are\)", re.IGNORECASE)
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([?.,;:!])")
_EMPTY_SLOT = re.compile(r"\bis\s+\?$")


def read(path: Path, out: Stream) -> Reading:
    """The `medquad` import source (sources.py): every file of the folder or
    archive at `path`, converted, with a Problem for each file that cannot
    be read. Says on `out` what it read."""
    reading = Progress("Reading MedQuAD files", medquad.count_members(path), out)
    problems: list[Item] = []
    documents: list[MedquadDocument] = []
    for item in medquad.read_medquad(path):
        reading.advance()
        if isinstance(item, medquad.ReadError):
            where = f"{item.path} line {item.line}" if item.line else item.path
            problems.append(Problem(where, item.message))
        else:
            documents.append(item)
    reading.close()
    stats = Conversion()
    records = list(convert(documents, stats))
    out.write(
        f"Read {stats.pairs:,} question-answer pairs from {stats.documents:,} files: "
        f"{stats.pairs_with_answer:,} with answer text, {stats.pairs_without_answer:,} without "
        f"(those sources ship no answers). They make {stats.questions:,} questions "
        f"({stats.open_questions:,} open, awaiting an expert) under {stats.topics:,} topics.\n"
    )
    return [*problems, *records], len(problems) + len(records)


def focus_key(focus: str) -> str:
    """The merge key of a focus: case and punctuation do not matter."""
    return _NON_WORD.sub(" ", focus.casefold()).strip()


def clean_question(text: str, focus: str = "") -> str:
    """MedQuAD's templated questions read naturally: "What is (are) X ?" → "What is X?".

    A few documents have an empty focus, which leaves "What is (are)  ?": the
    focus the converter derived fills the gap.
    """
    text = _ARE.sub("is", text)
    if focus:
        text = _EMPTY_SLOT.sub(f"is {focus}?", text)
    return _SPACE_BEFORE_PUNCT.sub(r"\1", text).strip()


def focus_from_url(url: str) -> str:
    """A topic name for a document without a focus, from its URL's last segment.

    "http://www.cdc.gov/HAI/organisms/vre/vre.html" → "VRE"; short words are
    taken as abbreviations.
    """
    path = urlsplit(url).path.rstrip("/")
    segment = path.rsplit("/", 1)[-1].rsplit(".", 1)[0] if path else ""
    words = [w for w in re.split(r"[-_\s]+", segment) if w.isalpha()]
    if not words:
        return ""
    return " ".join(w.upper() if len(w) <= 5 else w.capitalize() for w in words)


@dataclass
class _Topic:
    key: str
    names: Counter[str] = field(default_factory=Counter)
    categories: Counter[str] = field(default_factory=Counter)
    synonyms: dict[str, str] = field(default_factory=dict)  # casefolded → as written
    cuis: set[str] = field(default_factory=set)
    semantic_types: set[str] = field(default_factory=set)
    semantic_groups: set[str] = field(default_factory=set)


@dataclass
class _Question:
    key: str
    topic: str
    qtype: str
    titles: list[str] = field(default_factory=list)
    answered_title: int = 0  # index in `titles` of the first answered pair's wording
    answers: list[tuple[MedquadDocument, QAPair]] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)


@dataclass
class Conversion:
    """The records, plus the accounting of every pair read."""

    documents: int = 0
    pairs: int = 0
    pairs_with_answer: int = 0
    pairs_without_answer: int = 0
    questions: int = 0
    open_questions: int = 0
    topics: int = 0


def convert(
    documents: Iterable[MedquadDocument], stats: Conversion | None = None
) -> Iterator[Record]:
    """Canonical records for `documents`, in an order the loader can replay."""
    stats = stats if stats is not None else Conversion()
    topics: dict[str, _Topic] = {}
    questions: dict[str, _Question] = {}
    for doc in documents:
        stats.documents += 1
        focus = doc.focus.strip() or focus_from_url(doc.url) or doc.doc_id
        key = focus_key(focus)
        topic = topics.setdefault(key, _Topic(key))
        _merge_topic(topic, doc, focus)
        occurrences: Counter[str] = Counter()
        for pair in doc.pairs:
            stats.pairs += 1
            qtype = pair.qtype if pair.qtype in QUESTION_TYPES else QuestionType.OTHER
            occurrences[qtype] += 1
            question = _question_for(
                questions, key, qtype, occurrences[qtype], doc.source
            )
            question.titles.append(clean_question(pair.question, focus))
            question.sources.add(doc.source)
            if pair.answer.strip():
                stats.pairs_with_answer += 1
                if not question.answers:
                    question.answered_title = len(question.titles) - 1
                question.answers.append((doc, pair))
            else:
                stats.pairs_without_answer += 1
    stats.topics = len(topics)
    stats.questions = len(questions)
    stats.open_questions = sum(1 for q in questions.values() if not q.answers)
    yield from _category_records()
    for topic in sorted(topics.values(), key=lambda t: t.key):
        yield _topic_record(topic)
    for code in sorted(SOURCES):
        yield _organization_record(code)
    ordered = sorted(questions.values(), key=lambda q: q.key)
    for question in ordered:
        yield _question_record(question)
    for question in ordered:
        for doc, pair in question.answers:
            yield AnswerRecord(
                type="answer",
                source=SOURCE,
                external_id=pair.external_id,
                question=Ref(source=SOURCE, external_id=question.key),
                contributor=organization_ref(doc.source),
                body=pair.answer,
                source_url=doc.url,
            )


def _merge_topic(topic: _Topic, doc: MedquadDocument, focus: str) -> None:
    topic.names[focus] += 1
    topic.categories[_category(doc)] += 1
    for name in doc.synonyms:
        topic.synonyms.setdefault(name.casefold(), name)
    topic.cuis.update(doc.cuis)
    topic.semantic_types.update(doc.semantic_types)
    if doc.semantic_group:
        topic.semantic_groups.add(doc.semantic_group)


def _category(doc: MedquadDocument) -> str:
    if doc.source in HERB_SOURCES:
        return "herb"
    return CATEGORY_OF_XML.get(doc.category, "disease" if not doc.category else "other")


def _question_for(
    questions: dict[str, _Question],
    topic: str,
    qtype: str,
    occurrence: int,
    source: str,
) -> _Question:
    """The merged question this pair belongs to.

    The n-th pair of a type in a document joins the n-th of that type from
    other sources. A source never answers one question twice: when a second
    document of the same source has the same focus, its pair starts a
    question of its own.
    """
    while True:
        key = f"{topic}|{qtype}|{occurrence}"
        question = questions.get(key)
        if question is None:
            question = questions[key] = _Question(key, topic, qtype)
            return question
        if source not in question.sources:
            return question
        occurrence += 1


def organization_ref(code: str) -> Ref:
    return Ref(source=SOURCE, external_id=f"org:{code}")


def _category_records() -> Iterator[TopicRecord]:
    for code, (name, description) in CATEGORIES.items():
        yield TopicRecord(
            type="topic",
            source=SOURCE,
            external_id=f"category:{code}",
            name=name,
            description=description,
        )


def _topic_record(topic: _Topic) -> TopicRecord:
    # The most common spelling names the topic; ties go to the first in sort order.
    name = (
        min(topic.names.items(), key=lambda item: (-item[1], item[0]))[0]
        if topic.names
        else topic.key
    )
    category = min(topic.categories.items(), key=lambda item: (-item[1], item[0]))[0]
    other_names = sorted(
        (s for folded, s in topic.synonyms.items() if folded != name.casefold()),
        key=str.casefold,
    )
    codes = {
        key: sorted(values)
        for key, values in (
            ("umls_cui", topic.cuis),
            ("semantic_type", topic.semantic_types),
            ("semantic_group", topic.semantic_groups),
        )
        if values
    }
    return TopicRecord(
        type="topic",
        source=SOURCE,
        external_id=f"focus:{topic.key}",
        name=name[:200],
        parent=Ref(source=SOURCE, external_id=f"category:{category}"),
        other_names=[n[:300] for n in other_names],
        codes=codes,
    )


def _organization_record(code: str) -> ContributorRecord:
    org = SOURCES[code]
    return ContributorRecord(
        type="contributor",
        source=SOURCE,
        external_id=f"org:{code}",
        kind="organization",
        name=org.name,
        website=org.website,
        bio=f"Health information from {org.name}, imported from the MedQuAD collection.",
        verified=True,
    )


def _question_record(question: _Question) -> QuestionRecord:
    # Prefer the wording of a source that answers it.
    title = question.titles[0]
    if question.answers:
        title = question.titles[question.answered_title]
    return QuestionRecord(
        type="question",
        source=SOURCE,
        external_id=question.key,
        title=title[:300] or "Untitled question",
        question_type=question.qtype,
        status="answered" if question.answers else "open",
        topics=[Ref(source=SOURCE, external_id=f"focus:{question.topic}")],
    )
