"""Avatars without a photo: initials from the name, whole graphemes, on a
colour of the name's own that meets WCAG AA contrast."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import regex

from askwell.lib import avatars
from askwell.lib.avatars import NO_INITIALS, PALETTE_SIZE, colour, initials
from askwell.testing.datasets import naughty_strings

SITE_CSS = Path(avatars.__file__).resolve().parents[1] / "static/askwell/site.css"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Dr. Erin Walsh, MD", "EW"),
        ("Dr Erin Walsh", "EW"),
        ("Prof. Dr. Lena Fischer", "LF"),
        ("Mrs. Jenna Kowalski", "JK"),
        ("Ms Maria Delgado", "MD"),
        ("Sir Samuel Okafor", "SO"),
        ("Dame Grace Abernathy", "GA"),
        ("Erin Walsh MD", "EW"),
        ("Erin Walsh, MD, PhD", "EW"),
        ("Robert Haines Jr.", "RH"),
        # Family names that are also credentials stay names unless in capitals.
        ("Yo-Yo Ma", "YM"),
        ("Anh Do", "AD"),
        ("Anh Nguyen DO", "AN"),
        ("jean-paul sartre", "JS"),
        ("Madonna", "M"),
        ("“Grace” Abernathy", "GA"),
        ("Élodie Ørsted", "ÉØ"),
        ("山田 太郎", "山太"),
        ("王小明", "王"),
        ("Ivan Petrov", "IP"),
        ("Иван Петров", "ИП"),
        ("Dr.", "D"),
        ("", NO_INITIALS),
        ("   ", NO_INITIALS),
        ("\u202e\u200b", NO_INITIALS),
        ("-- !", NO_INITIALS),
        # "ß".upper() is "SS": two letters, so it stays as written.
        ("ßara", "ß"),
        ("👨\u200d👩\u200d👧 Family", "👨\u200d👩\u200d👧F"),
        ("e\u0301lise Walsh", "E\u0301W"),
    ],
)
def test_a_persons_initials_skip_titles_and_credentials(name, expected):
    assert initials(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Northfield Multiple Sclerosis Society", "NM"),
        ("The Mayo Clinic", "MC"),
        ("Harborlight Mental Health Network", "HM"),
        ("Cochrane", "Co"),
        ("NINDS", "NI"),
        ("🇺🇸🇫🇷", "🇺🇸🇫🇷"),
        ("Dr.", "Dr"),
    ],
)
def test_an_organizations_initials_are_its_first_two_words_or_letters(name, expected):
    assert initials(name, organization=True) == expected


def _graphemes(text: str) -> list[str]:
    return regex.findall(r"\X", text)


@pytest.mark.parametrize("organization", [False, True])
def test_naughty_names_get_one_or_two_whole_graphemes(organization):
    """Never an exception, never an empty avatar, and every grapheme shown
    is one of the name's own, whole (or its capital)."""
    for name in naughty_strings():
        shown = initials(name, organization=organization)

        assert shown, name
        parts = _graphemes(shown)
        assert 1 <= len(parts) <= 2, (name, shown)
        if shown != NO_INITIALS:
            own = set(_graphemes(name))
            assert all(p in own or p in {g.upper() for g in own} for p in parts), (
                name,
                shown,
            )
        assert 0 <= colour(name) < PALETTE_SIZE


@pytest.mark.parametrize(
    "name",
    [
        # Two regional indicators, one per word, would join into a flag.
        "\U0001f1fa x \U0001f1f8",
        # A Hangul leading consonant and a vowel, one per word, would join
        # into one syllable.
        "\u1100 \u1161",
    ],
)
def test_two_initials_that_would_join_into_one_grapheme_stay_apart(name):
    shown = initials(name)

    assert len(_graphemes(shown)) == 1
    assert shown == _graphemes(name)[0]


def test_a_name_keeps_its_colour_across_processes_and_spacing():
    # A fixed value: Python's hash() would change it in every process.
    assert colour("Dr. Erin Walsh") == colour("dr.  erin WALSH")
    assert colour("Dr. Erin Walsh") == 5
    assert len({colour(f"Expert {n}") for n in range(200)}) == PALETTE_SIZE


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_every_avatar_colour_meets_wcag_aa_contrast():
    css = SITE_CSS.read_text(encoding="utf-8")
    rules = {
        int(n): (bg, fg)
        for n, bg, fg in re.findall(
            r"\.avatar--colour-(\d+) \{ background: (#[0-9a-f]{6}); color: (#[0-9a-f]{6}); \}",
            css,
        )
    }

    assert sorted(rules) == list(range(PALETTE_SIZE))
    for n, (background, text) in rules.items():
        assert _contrast(background, text) >= 4.5, (n, background, text)
