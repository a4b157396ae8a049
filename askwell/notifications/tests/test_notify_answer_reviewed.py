"""Medical review decisions reach the answer's author on the site too: the
review app sends questions.signals.answer_reviewed, notifications tells the
author in their inbox; the decision's email stays the review app's, sent
once."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from askwell.accounts.tests.factories import EditorFactory, UserFactory
from askwell.experts.tests.factories import (
    ContributorFactory,
    MembershipFactory,
    OrganizationFactory,
)
from askwell.notifications.actions import send_digests
from askwell.notifications.models import Kind, Notification
from askwell.notifications.tests.factories import PreferenceFactory
from askwell.questions import actions as question_actions
from askwell.questions.tests.factories import QuestionFactory
from askwell.review import actions as review_actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer():
    user = EditorFactory(username="reviewer")
    ContributorFactory(user=user, name="Rita Review", credentials="MD")
    user.groups.add(review_actions.ensure_reviewers_group())
    return user


@pytest.fixture
def author():
    user = UserFactory(username="author", email="author@example.org")
    ContributorFactory(user=user, name="Alex Author", credentials="RN")
    return user


@pytest.fixture
def answer(author):
    question = QuestionFactory(title="Does rest help gout?", status="open")
    return question_actions.post_answer(
        author, question, contributor=author.contributor, body="Rest and ice help."
    )


@pytest.mark.parametrize(
    ("decide", "note", "text", "url"),
    [
        (
            review_actions.approve_answer,
            "",
            "Your answer to “Does rest help gout?” was approved in medical review",
            "answer",
        ),
        (
            review_actions.request_changes,
            "Say how long\nto rest.",
            "A medical reviewer asked for changes to your answer to “Does rest "
            "help gout?”: Say how long to rest.",
            "edit",
        ),
        (
            review_actions.reject_answer,
            "No evidence cited.",
            "A medical reviewer did not accept your answer to “Does rest help "
            "gout?”: No evidence cited.",
            "edit",
        ),
    ],
)
def test_each_decision_reaches_the_author_in_the_inbox_and_by_one_email(
    reviewer,
    author,
    answer,
    django_capture_on_commit_callbacks,
    decide,
    note,
    text,
    url,
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        decide(reviewer, answer, note=note)

    # then: one notification in the author's inbox, from the reviewer
    notification = Notification.objects.get(kind=Kind.REVIEW_DECISION)
    assert notification.recipient == author
    assert notification.actor == reviewer
    assert notification.in_app is True
    assert notification.text == text
    assert notification.question == answer.question
    assert notification.url == (
        answer.get_absolute_url()
        if url == "answer"
        else reverse("questions:edit-answer", kwargs={"pk": answer.pk})
    )
    # ... never emailed by notifications: the review app's email is the one
    assert notification.emailed_at is None
    assert [m.to for m in mail.outbox] == [["author@example.org"]]
    assert "Decision:" in mail.outbox[0].body


def test_an_author_who_switched_it_off_gets_the_email_only(
    reviewer, author, answer, django_capture_on_commit_callbacks
):
    # given
    PreferenceFactory(user=author, review_decision_in_app=False)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        review_actions.request_changes(reviewer, answer, note="Cite a source.")

    # then
    assert not Notification.objects.filter(kind=Kind.REVIEW_DECISION).exists()
    assert [m.to for m in mail.outbox] == [["author@example.org"]]


def test_daily_digest_readers_get_no_second_email_of_a_decision(
    reviewer, author, answer, django_capture_on_commit_callbacks
):
    # given
    PreferenceFactory(user=author, email_frequency="daily")

    # when
    with django_capture_on_commit_callbacks(execute=True):
        review_actions.reject_answer(reviewer, answer, note="No evidence cited.")
    mail.outbox.clear()
    summary = send_digests()

    # then
    assert summary.notifications == 0
    assert mail.outbox == []
    assert Notification.objects.get(kind=Kind.REVIEW_DECISION).in_app is True


def test_for_an_organization_the_member_who_wrote_it_hears(
    reviewer, author, django_capture_on_commit_callbacks
):
    # given: Alex wrote the society's answer; Bea is another member
    society = OrganizationFactory(name="Gout Society")
    bea = UserFactory(username="bea")
    for member in (author, bea):
        MembershipFactory(organization=society, user=member)
    answer = question_actions.post_answer(
        author,
        QuestionFactory(title="Is gout hereditary?", status="open"),
        contributor=society,
        body="It runs in families.",
    )

    # when
    review_actions.approve_answer(reviewer, answer)

    # then
    notification = Notification.objects.get(kind=Kind.REVIEW_DECISION)
    assert notification.recipient == author


def test_the_preferences_page_says_decisions_are_always_emailed(client, author):
    # given
    client.force_login(author)

    # when
    html = client.get(reverse("notifications:preferences")).content.decode()

    # then
    row = html.split('<th scope="row">Medical review decisions on your answers</th>')[
        1
    ].split("</tr>")[0]
    assert 'aria-label="Medical review decisions on your answers, on the site"' in row
    assert "by email" not in row
    assert "Always: the reviewer’s decision and note are mailed to you" in row
