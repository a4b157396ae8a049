"""Writing aids: reading level, jargon, reference lines and revision diffs."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from askwell.questions.actions import ReferenceData
from askwell.questions.diff import Segment, word_diff
from askwell.questions.forms import parse_references
from askwell.questions.writing import find_jargon, reading_level

PLAIN = (
    "Gout is a kind of arthritis. It makes a joint hurt and swell. "
    "It often starts in the big toe. Drink water and rest the joint. "
    "Your doctor can give you medicine for the pain."
)
DENSE = (
    "Hyperuricemia predisposes susceptible individuals to monosodium urate "
    "crystallization within articular structures, precipitating inflammatory "
    "arthropathy characterized by exquisitely painful monoarticular presentations."
)


def test_plain_text_reads_below_grade_8_and_dense_text_far_above():
    plain, dense = reading_level(PLAIN), reading_level(DENSE)

    assert plain.grade is not None
    assert plain.grade <= 8
    assert plain.easy_enough is True
    assert dense.grade is not None
    assert dense.grade > 14
    assert dense.easy_enough is False


def test_too_little_text_has_no_grade_yet():
    level = reading_level("Rest helps.")

    assert (level.grade, level.words, level.easy_enough) == (None, 2, False)


def test_markdown_syntax_does_not_count_as_words():
    assert reading_level("**Gout** [link](https://example.org)").words == 2


def test_jargon_with_a_plain_alternative_is_marked_once():
    found = find_jargon(
        "After a myocardial infarction, hypertension matters. Hypertension again. "
        "Edema may follow. Take aspirin."
    )

    assert [(j.term, j.plain) for j in found] == [
        ("myocardial infarction", "heart attack"),
        ("hypertension", "high blood pressure"),
        ("Edema", "swelling"),
    ]


def test_plain_words_are_not_jargon():
    assert find_jargon("A heart attack and high blood pressure.") == []


def test_reference_lines_become_links():
    refs = parse_references(
        "https://example.org/gout | Gout basics\n"
        "doi:10.1000/xyz123\n"
        "https://doi.org/10.1000/abc\n"
        "  \n"
        "PMID: 12345 | A trial\n"
        "https://pubmed.ncbi.nlm.nih.gov/678/"
    )

    assert refs == [
        ReferenceData(url="https://example.org/gout", title="Gout basics"),
        ReferenceData(doi="10.1000/xyz123"),
        ReferenceData(doi="10.1000/abc"),
        ReferenceData(pmid="12345", title="A trial"),
        ReferenceData(pmid="678"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ftp://example.org/x", "Line 1: “ftp://example.org/x” is not a web address"),
        ("fine https://x.org\njavascript:alert(1)", "Line 1"),
        (
            "https://ok.org\nhttps://ok.org | " + "t" * 301,
            "Line 2: the title is longer",
        ),
    ],
)
def test_bad_reference_lines_are_named(text, message):
    with pytest.raises(ValidationError) as caught:
        parse_references(text)

    assert message in " ".join(caught.value.messages)


def test_word_diff_marks_changed_words_only():
    assert word_diff("Rest helps most people.", "Rest helps many people.") == [
        Segment("same", "Rest helps "),
        Segment("removed", "most"),
        Segment("added", "many"),
        Segment("same", " people."),
    ]


def test_word_diff_of_a_first_revision_is_all_added():
    assert word_diff("", "New text") == [Segment("added", "New text")]
