"""MedQuAD documents → records: topics merge, questions merge, every pair counted."""

from __future__ import annotations

import pytest

from askwell.importers.convert_medquad import (
    Conversion,
    clean_question,
    convert,
    focus_from_url,
    focus_key,
)
from askwell.importers.medquad import MedquadDocument, QAPair


def _doc(
    source: str,
    stem: str,
    focus: str,
    pairs: list[tuple[str, str, str]],
    **extra: object,
) -> MedquadDocument:
    prefix = "MPlusHerbsSuppls" if source == "MPlusHerbsSupplements" else source
    return MedquadDocument(
        path=f"x/{stem}.xml",
        source=source,
        doc_id=stem,
        url=extra.get("url", f"https://example.org/{stem}"),  # type: ignore[arg-type]
        focus=focus,
        category=extra.get("category", ""),  # type: ignore[arg-type]
        cuis=extra.get("cuis", ()),  # type: ignore[arg-type]
        semantic_types=(),
        semantic_group="",
        synonyms=extra.get("synonyms", ()),  # type: ignore[arg-type]
        pairs=tuple(
            QAPair(
                n,
                str(n),
                f"{stem}-{n}",
                qtype,
                question,
                answer,
                f"{prefix}_{stem}_Sec{n}",
            )
            for n, (qtype, question, answer) in enumerate(pairs, start=1)
        ),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("What is (are) Alagille syndrome ?", "What is Alagille syndrome?"),
        ("How to diagnose Gout ?", "How to diagnose Gout?"),
        ("What causes it", "What causes it"),
    ],
)
def test_clean_question(text, expected):
    assert clean_question(text) == expected


def test_empty_focus_is_filled_from_the_url():
    assert focus_from_url("http://www.cdc.gov/HAI/organisms/vre/vre.html") == "VRE"
    assert (
        focus_from_url("http://www.cdc.gov/HAI/organisms/visa_vrsa/visa_vrsa.html")
        == "VISA VRSA"
    )
    assert focus_from_url("http://www.cdc.gov/vaccines/") == "Vaccines"
    assert focus_from_url("") == ""
    assert clean_question("What is (are)  ?", "VRE") == "What is VRE?"


def test_focus_key_ignores_case_and_punctuation():
    assert (
        focus_key("Parkinson's Disease")
        == focus_key("parkinson s disease")
        == "parkinson s disease"
    )


def test_same_question_from_several_sources_is_one_question_with_several_answers():
    # given
    docs = [
        _doc(
            "GARD",
            "0000001",
            "Alagille syndrome",
            [("information", "What is (are) Alagille syndrome ?", "A")],
            synonyms=("AGS",),
        ),
        _doc(
            "GHR",
            "0000002",
            "Alagille Syndrome",
            [("information", "What is (are) Alagille syndrome ?", "B")],
            cuis=("C0085280",),
        ),
        _doc(
            "ADAM",
            "0000003",
            "alagille syndrome",
            [("information", "Do you have information about Alagille", "")],
        ),
    ]
    stats = Conversion()
    # when
    records = list(convert(docs, stats))
    # then
    questions = [r for r in records if r.type == "question"]
    answers = [r for r in records if r.type == "answer"]
    topics = [
        r for r in records if r.type == "topic" and r.external_id.startswith("focus:")
    ]
    assert [q.title for q in questions] == ["What is Alagille syndrome?"]
    assert questions[0].status == "answered"
    assert [a.external_id for a in answers] == ["GARD_0000001_Sec1", "GHR_0000002_Sec1"]
    assert {a.contributor.external_id for a in answers} == {"org:GARD", "org:GHR"}
    assert len(topics) == 1
    assert topics[0].other_names == ["AGS"]
    assert topics[0].codes == {"umls_cui": ["C0085280"]}
    assert topics[0].parent.external_id == "category:disease"
    assert (stats.pairs, stats.pairs_with_answer, stats.pairs_without_answer) == (
        3,
        2,
        1,
    )
    assert (stats.questions, stats.open_questions, stats.topics) == (1, 0, 1)


def test_unanswered_pairs_make_open_questions_and_categories_follow_the_xml():
    docs = [
        _doc(
            "MPlusDrugs",
            "0000010",
            "Aspirin",
            [("side effects", "What are the side effects of Aspirin ?", "")],
            category="Drug",
        ),
        _doc(
            "MPlusHerbsSupplements",
            "0000011",
            "Ginger",
            [("usage", "How to use Ginger ?", "")],
            category="Other",
        ),
    ]

    records = list(convert(docs))

    questions = {r.title: r for r in records if r.type == "question"}
    topics = {r.name: r for r in records if r.type == "topic"}
    assert questions["What are the side effects of Aspirin?"].status == "open"
    assert topics["Aspirin"].parent.external_id == "category:drug"
    assert topics["Ginger"].parent.external_id == "category:herb"
    assert not [r for r in records if r.type == "answer"]


def test_a_source_never_answers_one_question_twice():
    docs = [
        _doc("ADAM", "0000020", "Gout", [("information", "What is Gout ?", "First")]),
        _doc("ADAM", "0000021", "Gout", [("information", "What is Gout ?", "Second")]),
    ]

    records = list(convert(docs))

    questions = [r for r in records if r.type == "question"]
    answers = [r for r in records if r.type == "answer"]
    assert len(questions) == 2
    assert len({a.question.external_id for a in answers}) == 2
