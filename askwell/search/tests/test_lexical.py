"""Which words of a reader's message the SQLite lexical query keeps: common
words cost most of an OR query's time and barely change BM25's order."""

from __future__ import annotations

from askwell.search.backends import LexicalQuery
from askwell.search.backends.sqlite import choose_words


def _counts(**counts: int):
    return lambda word: counts.get(word, 0)


def test_common_words_are_left_out_of_a_lexical_query():
    """Words most documents hold are dropped; the rest come rarest first."""
    # given: 1,000 documents; "help" is in 600, "symptoms" in 300
    query = LexicalQuery(("help", "symptoms", "plasmapheresis", "sclerosis"))
    count = _counts(help=600, symptoms=300, plasmapheresis=3, sclerosis=40)

    # when
    kept = choose_words(query, count, 1000)

    # then
    assert kept == ["plasmapheresis", "sclerosis"]


def test_focus_words_are_kept_however_common():
    # given
    query = LexicalQuery(("diabetes", "help", "rare"), keep=frozenset({"diabetes"}))
    count = _counts(diabetes=900, help=600, rare=10)

    # when / then
    assert choose_words(query, count, 1000) == ["diabetes", "rare"]


def test_a_query_of_only_common_words_keeps_its_rarest_two():
    query = LexicalQuery(("help", "symptoms", "pain"))
    count = _counts(help=600, symptoms=300, pain=400)

    assert choose_words(query, count, 1000) == ["symptoms", "pain"]


def test_at_most_twelve_words_are_kept():
    """A 40-word message becomes a query of its twelve rarest words."""
    # given
    many = tuple(f"word{i}" for i in range(40))
    count = _counts(**{w: i for i, w in enumerate(many)})

    # when
    kept = choose_words(LexicalQuery(many), count, 10_000)

    # then
    assert kept == list(many[:12])
