"""The in-memory ranking snapshot: built from the database per index version,
and answering the engine's lookups exactly as the database would."""

from __future__ import annotations

import numpy as np
import pytest

from askwell.experts.tests.factories import ContributorFactory
from askwell.questions.models import Question
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory
from askwell.search import snapshot
from askwell.search.indexing import bump_version, current_version, index_answers
from askwell.search.models import SearchDocument
from askwell.search.snapshot import DatabaseFeatures, Grouped, Snapshot
from askwell.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


def test_grouped_values_by_key():
    """Values come back grouped under their key; an unknown key has none."""
    # given
    grouped = Grouped.build(
        np.array([7, 3, 7, 5, 3], np.int64), np.array([1, 2, 3, 4, 5], np.int64)
    )

    # then
    assert grouped.get(7).tolist() == [1, 3]
    assert grouped.get(3).tolist() == [2, 5]
    assert grouped.get(4).tolist() == []
    assert grouped.get(99).tolist() == []
    assert sorted(grouped.get_many([5, 7, 8]).tolist()) == [1, 3, 4]


# The in-memory snapshot and its database-backed twin for big indexes.
LOADERS = pytest.mark.parametrize(
    "load", [Snapshot.load, DatabaseFeatures], ids=["memory", "database"]
)


@LOADERS
def test_snapshot_of_an_empty_index_answers_nothing(load):
    # when
    snap = load()

    # then
    assert snap.documents([1, 2]) == []
    assert snap.answers_of([1]) == []
    assert snap.questions_about([1], 10) == []
    assert snap.topics_of_many([1, 2]) == {1: [], 2: []}


@LOADERS
def test_snapshot_matches_the_database(load):
    """Every lookup agrees with the rows it was built from."""
    # given: a topic tree, two questions with answers, one without
    disease = TopicFactory(name="Gout")
    treatment = TopicFactory(name="Gout Treatment", parent=disease)
    diet = TopicFactory(name="Gout Diet", parent=treatment)
    asked = QuestionFactory(title="How is gout treated?", question_type="treatment")
    asked.topics.set([treatment])
    other = QuestionFactory(title="What is gout?", question_type="information")
    other.topics.set([disease])
    unanswered = QuestionFactory(title="Is gout rare?")
    unanswered.topics.set([disease])
    answers = [
        AnswerFactory(question=asked),
        AnswerFactory(question=asked),
        AnswerFactory(
            question=other,
            contributor=ContributorFactory(is_verified=False, verified_at=None),
        ),
    ]
    index_answers([a.pk for a in answers])

    # when
    snap = load()

    # then
    docs = {row[0]: row for row in snap.documents([a.pk for a in answers] + [10**9])}
    for answer in answers:
        _, question_id, question_type, verified = docs[answer.pk]
        assert question_id == answer.question_id
        assert question_type == Question.objects.get(pk=question_id).question_type
        assert verified == answer.contributor.is_verified
    assert sorted(snap.answers_of([asked.pk])) == sorted([answers[0].pk, answers[1].pk])
    assert sorted(snap.answers_of([10**9, asked.pk, other.pk])) == sorted(
        a.pk for a in answers
    )
    assert snap.topics_of_many([asked.pk, 10**9, other.pk]) == {
        asked.pk: [treatment.pk],
        10**9: [],
        other.pk: [disease.pk],
    }
    # Unanswered questions are not indexed, so not "about" their topic here.
    assert snap.questions_about([disease.pk], 10) == [other.pk]
    assert snap.questions_about([disease.pk, treatment.pk], 1) == [other.pk]
    assert snap.descendants(disease.pk, 10) == [treatment.pk, diet.pk]
    assert snap.descendants(disease.pk, 1) == [treatment.pk]
    assert snap.descendants(diet.pk, 10) == []


def test_snapshot_is_rebuilt_when_the_index_version_changes():
    """A process sees new answers as soon as the index version moves."""
    # given
    first = AnswerFactory()
    index_answers([first.pk])
    before = snapshot.get(current_version())
    assert [row[0] for row in before.documents([first.pk])] == [first.pk]

    # when: another answer is indexed (indexing bumps the version)
    second = AnswerFactory()
    index_answers([second.pk])
    after = snapshot.get(current_version())

    # then
    assert after is not before
    assert [row[0] for row in after.documents([second.pk])] == [second.pk]
    # The same version gives the same snapshot (no reload per search).
    assert snapshot.get(current_version()) is after


def test_snapshot_keeps_answers_that_lost_their_document_until_the_next_version():
    """The snapshot is a ranking aid: between an index change and the bump it
    may be stale, which is why visibility is checked on live rows."""
    # given
    answer = AnswerFactory()
    index_answers([answer.pk])
    snap = snapshot.get(current_version())

    # when: the document goes without a version bump
    SearchDocument.objects.filter(answer_id=answer.pk).delete()

    # then: the old snapshot still lists it, a rebuilt one does not
    assert snapshot.get(current_version()) is snap
    assert snap.documents([answer.pk])
    bump_version()
    assert snapshot.get(current_version()).documents([answer.pk]) == []


def test_big_indexes_read_ranking_features_from_the_database(settings):
    """Past the limit no process copies the index: searches ask the database."""
    # given
    answers = [AnswerFactory() for _ in range(3)]
    index_answers([a.pk for a in answers])

    # when / then
    settings.ASKWELL_SEARCH_SNAPSHOT_LIMIT = 2
    snapshot.forget()
    assert isinstance(snapshot.get(current_version()), DatabaseFeatures)
    settings.ASKWELL_SEARCH_SNAPSHOT_LIMIT = 3
    snapshot.forget()
    assert isinstance(snapshot.get(current_version()), Snapshot)
