""" "Continue learning" is found when the content changes and stored, so a
question page reads it with one query however many questions there are
(search/related.py); what is shown is still checked on the live rows."""

from __future__ import annotations

import pytest

from askwell.accounts.tests.factories import UserFactory
from askwell.experts.tests.factories import ContributorFactory
from askwell.questions import actions as question_actions
from askwell.questions.models import Answer, Question
from askwell.questions.tests.factories import QuestionFactory
from askwell.search import find_missing_related, related, tasks
from askwell.search.engine import related_questions
from askwell.search.models import RelatedQuestions, SearchDocument
from askwell.topics.models import Topic

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("indexed_demo")]

PLASMAPHERESIS = "can-plasmapheresis-help-treat-multiple-sclerosis-ms"
NEW_TITLE = "Does plasma exchange help a first MS attack that steroids did not?"


@pytest.fixture
def plasmapheresis():
    return Question.objects.get(slug=PLASMAPHERESIS)


def _stored(question: Question) -> list[int] | None:
    return (
        RelatedQuestions.objects.filter(pk=question.pk)
        .values_list("question_ids", flat=True)
        .first()
    )


def _finding_forbidden(monkeypatch) -> None:
    def refuse(*args: object, **kwargs: object) -> list[int]:
        raise AssertionError("the stored list should have been read")

    monkeypatch.setattr(related, "find", refuse)


def test_a_newly_answered_question_enters_its_neighbours_lists(
    plasmapheresis, django_capture_on_commit_callbacks, monkeypatch, settings
):
    # given: the plasmapheresis page was visited (its list found and stored);
    # a new question on its topic waits for an answer, on a site that shows
    # answers before their medical review
    settings.ASKWELL_SHOW_UNREVIEWED = True
    related_questions(plasmapheresis)
    new = QuestionFactory(
        title=NEW_TITLE,
        topics=[Topic.objects.get(slug="multiple-sclerosis-treatment")],
    )
    assert new.pk not in _stored(plasmapheresis)
    expert = UserFactory()
    signer = ContributorFactory(user=expert, is_verified=True)

    # when: an expert answers it (the site's jobs run after the commit)
    with django_capture_on_commit_callbacks(execute=True):
        question_actions.post_answer(
            expert,
            new,
            contributor=signer,
            body="Plasma exchange is a second-line treatment for severe attacks.",
        )

    # then: the new question's list is stored, and it is in its
    # neighbour's (past the six the page shows: the same topic's questions
    # come in the order of closeness), which the page reads without finding
    # anything anew
    assert plasmapheresis.pk in _stored(new)
    assert new.pk in _stored(plasmapheresis)
    _finding_forbidden(monkeypatch)
    after = [q.pk for q in related_questions(plasmapheresis)]
    assert after == _stored(plasmapheresis)[: related.SHOWN]


def test_a_question_page_reads_the_stored_list(client, plasmapheresis, monkeypatch):
    # given
    related.refresh([plasmapheresis.pk])
    titles = [q.title for q in related_questions(plasmapheresis)]
    _finding_forbidden(monkeypatch)

    # when
    html = client.get(plasmapheresis.get_absolute_url()).content.decode()

    # then
    assert len(titles) == related.SHOWN
    assert all(title in html for title in titles)


def test_a_question_with_nothing_stored_finds_its_list_at_the_first_visit(
    plasmapheresis,
):
    # given
    RelatedQuestions.objects.all().delete()

    # when
    shown = related_questions(plasmapheresis)

    # then
    stored = _stored(plasmapheresis)
    assert stored is not None
    assert [q.pk for q in shown] == [pk for pk in stored if pk in {q.pk for q in shown}]
    assert len(stored) == related.STORED


def test_a_stored_question_whose_answers_are_hidden_is_not_shown(plasmapheresis):
    # given
    related.refresh([plasmapheresis.pk])
    first = related_questions(plasmapheresis)[0]

    # when: hidden directly in the table, as no job would notice
    Answer.objects.filter(question=first).update(status=Answer.Status.HIDDEN)

    # then
    assert first not in related_questions(plasmapheresis)
    assert first.pk in _stored(plasmapheresis)


def test_a_bulk_change_drops_the_lists_instead_of_finding_them(
    plasmapheresis, monkeypatch
):
    # given
    related.refresh([plasmapheresis.pk])
    monkeypatch.setattr(related, "REFRESHED_PER_JOB", 10)
    many = list(Question.objects.values_list("pk", flat=True))
    assert len(many) > related.REFRESHED_PER_JOB

    # when
    related.refresh(many)

    # then
    assert not RelatedQuestions.objects.exists()


def test_the_hourly_fill_stores_every_answered_questions_list_step_by_step(
    django_capture_on_commit_callbacks, monkeypatch
):
    # given: a reindex dropped every list
    related.forget_all()
    monkeypatch.setattr(tasks, "FILL_STEP", 7)
    answered = set(
        SearchDocument.objects.values_list("question_id", flat=True).distinct()
    )
    assert len(answered) > 2 * tasks.FILL_STEP

    # when: the worker queues the job (each step queues the next)
    with django_capture_on_commit_callbacks(execute=True):
        find_missing_related.enqueue()

    # then
    assert set(RelatedQuestions.objects.values_list("pk", flat=True)) == answered
    assert related.missing(0, 10) == []
