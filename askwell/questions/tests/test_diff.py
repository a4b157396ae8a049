"""The word diff: exactly the changed words marked, whitespace and
punctuation kept, and a cost linear in the texts' length up to the
longest answer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import askwell
from askwell.lib import limits
from askwell.questions.diff import WORK_LIMIT, Segment, compare
from askwell.testing.datasets import naughty_strings


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "Rest helps most people.",
            "Rest helps many people.",
            [
                Segment("same", "Rest helps "),
                Segment("removed", "most"),
                Segment("added", "many"),
                Segment("same", " people."),
            ],
        ),
        (
            "Ice helps.",
            "Ice helps!",
            [
                Segment("same", "Ice "),
                Segment("removed", "helps."),
                Segment("added", "helps!"),
            ],
        ),
        (
            "Rest.\n\nIce.",
            "Rest.\n\nIce and water.",
            [
                Segment("same", "Rest.\n\n"),
                Segment("removed", "Ice."),
                Segment("added", "Ice and water."),
            ],
        ),
        (
            "Take one tablet, then wait.",
            "Take one tablet, then wait.",
            [Segment("same", "Take one tablet, then wait.")],
        ),
        ("", "New text", [Segment("added", "New text")]),
        ("Old text", "", [Segment("removed", "Old text")]),
    ],
)
def test_the_diff_marks_exactly_the_changed_words(old, new, expected):
    # when
    found = compare(old, new)

    # then
    assert found.segments == expected
    assert found.word_by_word
    assert found.changed == (old != new)


def test_words_repeated_at_both_ends_are_matched_once():
    # given: the shared start and end overlap in the shorter text
    old, new = "a a a", "a a a a a"

    # when
    found = compare(old, new)

    # then
    assert found.segments == [
        Segment("same", "a a "),
        Segment("added", "a a "),
        Segment("same", "a"),
    ]


def _put_together(segments: list[Segment]) -> tuple[str, str]:
    old = "".join(s.text for s in segments if s.op != "added")
    new = "".join(s.text for s in segments if s.op != "removed")
    return old, new


def _longest(text: str) -> str:
    """`text` repeated to the greatest length an answer may have."""
    return (text * (limits.ANSWER_BODY // len(text) + 1))[: limits.ANSWER_BODY]


def _edited(text: str, every: int) -> str:
    """`text` with every `every`-th word replaced, its length kept."""
    words = text.split(" ")
    for n in range(0, len(words), every):
        words[n] = "x" * len(words[n])
    return " ".join(words)


def _prose() -> str:
    """The demo's answers, written by people: real prose, little repeated."""
    content = json.loads(
        (Path(askwell.__file__).parent / "demo" / "content.json").read_text()
    )
    return "\n\n".join(
        answer["body"]
        for question in content["questions"]
        for answer in question["answers"]
    )


# Texts of the longest answer's length: the same word over and over (every
# word matches every other), two words taking turns, prose changed all
# through, and the naughty strings changed all through.
LONGEST = {
    "one word over and over": (
        _longest("again "),
        "Now " + _longest("again ")[4:-4] + "end.",
        False,
    ),
    "two words taking turns": (_longest("a b "), _longest("b a "), False),
    "prose changed all through": (
        _longest(_prose()),
        _edited(_longest(_prose()), 40),
        True,
    ),
    "naughty strings changed all through": (
        _longest("\n".join(naughty_strings())),
        _edited(_longest("\n".join(naughty_strings())), 40),
        True,
    ),
}


@pytest.mark.parametrize("shape", LONGEST)
def test_the_longest_answers_are_compared_within_the_work_limit(shape):
    # given
    old, new, word_by_word = LONGEST[shape]
    assert len(old) == len(new) == limits.ANSWER_BODY

    # when
    found = compare(old, new)

    # then: matched word by word where the limit allows (real prose, all
    # through), shown whole where it does not; exact either way
    assert found.word_by_word == word_by_word
    assert found.work <= WORK_LIMIT
    assert _put_together(found.segments) == (old, new)
    # (the time this takes is bench/input_cost.py's to measure, not a test's)
