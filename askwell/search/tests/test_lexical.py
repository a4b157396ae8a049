"""Which words of a reader's message the lexical query keeps: common
words cost most of an OR query's time and barely change BM25's order."""

from __future__ import annotations

import pytest

from askwell.questions.tests.factories import AnswerFactory
from askwell.search.backends import LexicalQuery, backend, choose_words
from askwell.search.indexing import current_version, index_answers, refresh_statistics


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


@pytest.mark.django_db
def test_the_database_backend_leaves_out_a_word_most_documents_hold(lexical_only):
    """On SQLite the counts come from fts5vocab, on PostgreSQL from ANALYZE's
    lexeme statistics (refreshed after bulk changes): either way a word in
    every document is not sent to the database."""
    # given: 30 published answers all saying "tiredness", two naming rare words
    bodies = [f"Tiredness is common, note {i}." for i in range(28)]
    bodies += ["Tiredness after plasmapheresis.", "Tiredness and myasthenia."]
    answers = [AnswerFactory(body=body) for body in bodies]
    index_answers([a.pk for a in answers])
    refresh_statistics()

    # when
    query = LexicalQuery(("tiredness", "plasmapheresis", "myasthenia"))
    kept = backend().words_kept(query, current_version())

    # then
    assert kept == ["plasmapheresis", "myasthenia"]
    found = {pk for pk, _ in backend().search(query, 10, current_version())}
    assert found == {answers[-2].pk, answers[-1].pk}
