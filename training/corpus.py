"""Step 1: the texts, as the search engine sees them.

    python training/corpus.py

Reads ../shared/data/medquad.tar.gz and the two LiveQA training files and
writes training/work/corpus/:

- medquad.jsonl: one line per Askwell question, merged across sources the way
  `askwell import medquad` merges them (askwell/importers/convert_medquad.py:
  same focus, same question type, same occurrence within the document), with
  its title, every source's wording, its topic's name and other names, its
  question type, and each answer's plain text and embedded passage exactly as
  askwell/search/indexing.py builds it (title + the answer's first
  PASSAGE_WORDS words of html_to_text(render_markdown(answer))).
- liveqa.jsonl: the LiveQA questions (query = SUBJECT + MESSAGE, as
  bench/search_quality.py searches them), their file (1 or 2), and per
  sub-question the FOCUS, the TYPE, the TYPE mapped to a MedQuAD question type
  (bench/search_quality.py's TYPE_MAP) and the reference answers.

Deterministic: same input files, same output bytes.
"""

from __future__ import annotations

import sys
from collections import Counter

from tools import (
    WORK,
    askwell_choices,
    askwell_constant,
    shared_file,
    write_jsonl,
)

CORPUS = WORK / "corpus"
LIVEQA_FILES = ("liveqa-med-train-1.xml", "liveqa-med-train-2.xml")


def build_medquad() -> list[dict]:
    """Askwell's questions from MedQuAD, through the importer's own converter."""
    from askwell.importers.medquad import read_medquad
    from askwell.lib.markdown import html_to_text, render_markdown

    convert = _converter()
    passage_words = askwell_constant("askwell/search/indexing.py", "PASSAGE_WORDS")
    documents = []
    for doc in read_medquad(shared_file("medquad.tar.gz")):
        if not hasattr(doc, "pairs"):
            raise SystemExit(f"MedQuAD read error: {doc}")
        documents.append(doc)
    topics: dict[str, dict] = {}
    questions: dict[str, dict] = {}
    for record in convert(documents):
        if record.type == "topic" and record.external_id.startswith("focus:"):
            topics[record.external_id] = {
                "topic_key": record.external_id.removeprefix("focus:"),
                "topic": record.name,
                "other_names": list(record.other_names),
            }
        elif record.type == "question":
            (topic,) = record.topics
            questions[record.external_id] = {
                "key": record.external_id,
                **topics[topic.external_id],
                "qtype": str(record.question_type),
                "title": record.title,
                "titles": [],
                "answers": [],
            }
        elif record.type == "answer":
            question = questions[record.question.external_id]
            text = html_to_text(render_markdown(record.body))
            opening = " ".join(text.split()[:passage_words])
            question["answers"].append(
                {
                    "id": record.external_id,
                    "source": record.contributor.external_id.removeprefix("org:"),
                    "text": text,
                    "passage": f"{question['title']} {opening}",
                }
            )
    # Every source's wording of each question (the converter keeps only one
    # as the title): the paraphrases that training may use.
    wordings = _wordings(documents, convert)
    for key, question in questions.items():
        question["titles"] = wordings.get(key, [question["title"]])
    return sorted(questions.values(), key=lambda q: q["key"])


def _wordings(documents: list, convert) -> dict[str, list[str]]:
    """{question key: every distinct wording its sources use}.

    The converter keeps only one wording as the title; this replays its merge
    (its own `_question_for`, `focus_key`, `clean_question`) to collect all.
    """
    helpers = sys.modules[convert.__module__]
    questions: dict = {}
    for doc in documents:
        focus = doc.focus.strip() or helpers.focus_from_url(doc.url) or doc.doc_id
        key = helpers.focus_key(focus)
        occurrences: Counter[str] = Counter()
        for pair in doc.pairs:
            qtype = pair.qtype if pair.qtype in helpers.QUESTION_TYPES else "other"
            occurrences[qtype] += 1
            question = helpers._question_for(
                questions, key, qtype, occurrences[qtype], doc.source
            )
            question.titles.append(helpers.clean_question(pair.question, focus))
            question.sources.add(doc.source)
    return {key: list(dict.fromkeys(q.titles)) for key, q in questions.items()}


def _converter():
    """askwell.importers.convert_medquad.convert, imported without Django.

    The converter needs only the *values* of QuestionType from
    askwell/questions/models.py, a Django model module. While it is imported,
    that module is replaced by a stand-in holding the same values, read from
    the source file, so the real conversion code runs unchanged.
    """
    import types

    name = "askwell.questions.models"
    values = askwell_choices("askwell/questions/models.py", "QuestionType")
    stand_in = types.ModuleType(name)
    stand_in.QuestionType = type(
        "QuestionType", (), {"values": values, "OTHER": "other"}
    )
    saved = sys.modules.get(name)
    sys.modules[name] = stand_in
    try:
        from askwell.importers.convert_medquad import convert
    finally:
        if saved is None:
            del sys.modules[name]
        else:
            sys.modules[name] = saved
    return convert


def build_liveqa() -> list[dict]:
    from common import load_liveqa  # bench/common.py
    from search_quality import TYPE_MAP  # bench/search_quality.py

    rows = []
    for number, name in enumerate(LIVEQA_FILES, 1):
        for question in load_liveqa([shared_file(name)]):
            rows.append(
                {
                    "id": f"train{number}:{question.id.split(':', 1)[1]}",
                    "file": number,
                    "query": question.query,
                    "subs": [
                        {
                            "foci": sub.foci,
                            "type": sub.type,
                            "qtype": TYPE_MAP.get(
                                " ".join(sub.type.casefold().split())
                            ),
                            "answers": sub.answers,
                        }
                        for sub in question.subs
                    ],
                }
            )
    return rows


def main() -> None:
    medquad = build_medquad()
    n = write_jsonl(CORPUS / "medquad.jsonl", medquad)
    answers = sum(len(q["answers"]) for q in medquad)
    answered = sum(1 for q in medquad if q["answers"])
    print(f"medquad.jsonl: {n} questions ({answered} answered), {answers} answers")
    liveqa = build_liveqa()
    write_jsonl(CORPUS / "liveqa.jsonl", liveqa)
    for number in (1, 2):
        part = [q for q in liveqa if q["file"] == number]
        print(f"liveqa.jsonl: file {number}: {len(part)} questions")


if __name__ == "__main__":
    main()
