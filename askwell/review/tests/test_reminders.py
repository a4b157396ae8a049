"""The weekly reminder: each medical reviewer hears how many answers they
may review are due for review again; no reminder when none are."""

from __future__ import annotations

import pytest
from django.core import mail

from askwell.accounts.tests.factories import EditorFactory, UserFactory
from askwell.experts.tests.factories import ContributorFactory
from askwell.questions.models import Answer
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory
from askwell.review import tasks
from askwell.review.actions import ensure_reviewers_group

pytestmark = pytest.mark.django_db


def _reviewer(username: str):
    user = EditorFactory(username=username, email=f"{username}@example.org")
    ContributorFactory(user=user, name=username.title(), credentials="MD")
    user.groups.add(ensure_reviewers_group())
    return user


def _due(title: str, **fields) -> Answer:
    return AnswerFactory(
        question=QuestionFactory(title=title),
        review_state=Answer.Review.NEEDS_RE_REVIEW,
        **fields,
    )


def test_each_reviewer_hears_of_the_answers_due_that_they_may_review(
    settings, django_capture_on_commit_callbacks
):
    # given: two due answers, one of them signed by the first reviewer
    settings.ASKWELL_SITE_URL = "https://askwell.example.org"
    rita = _reviewer("rita")
    _reviewer("sam")
    _due("Is gout hereditary?", contributor=rita.contributor)
    _due("Does ocrelizumab slow MS?")
    AnswerFactory()  # reviewed recently: not due
    # when
    with django_capture_on_commit_callbacks(execute=True):
        reminded = tasks.remind_reviewers.call()
    # then
    assert reminded == 2
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address["rita@example.org"].subject == (
        "1 answer due for review again · Askwell"
    )
    assert by_address["sam@example.org"].subject == (
        "2 answers due for review again · Askwell"
    )
    body = by_address["rita@example.org"].body
    assert "1 answer on Askwell is due for medical review again" in body
    assert "The longest overdue: “Does ocrelizumab slow MS?”." in body
    assert "Review it: https://askwell.example.org/review/due/" in body


def test_nobody_is_reminded_when_nothing_is_due(django_capture_on_commit_callbacks):
    # given: a reviewer, an editor who does not review, a reader
    _reviewer("rita")
    EditorFactory()
    UserFactory()
    _due("Is gout hereditary?")
    Answer.objects.update(review_state=Answer.Review.PUBLISHED)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        reminded = tasks.remind_reviewers.call()
    # then
    assert reminded == 0
    assert mail.outbox == []


def test_editors_without_the_review_permission_get_no_reminder(
    django_capture_on_commit_callbacks,
):
    # given
    EditorFactory(email="editor@example.org")
    _due("Is gout hereditary?")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        reminded = tasks.remind_reviewers.call()
    # then
    assert reminded == 0
    assert mail.outbox == []
