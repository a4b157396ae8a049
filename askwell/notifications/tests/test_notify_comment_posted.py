"""A new comment notifies the asker, the answer's author and the question's followers."""

from __future__ import annotations

import pytest

from askwell.accounts.tests.factories import UserFactory
from askwell.experts.tests.factories import (
    ContributorFactory,
    MembershipFactory,
    OrganizationFactory,
)
from askwell.notifications import actions
from askwell.notifications.models import Kind, Notification
from askwell.notifications.tests.factories import (
    PreferenceFactory,
    QuestionFollowFactory,
    comment_on,
)
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def expert_user():
    return UserFactory(username="sam")


@pytest.fixture
def answer(asker, expert_user):
    question = QuestionFactory(title="Is fatigue part of MS?", asker=asker)
    return AnswerFactory(
        question=question, contributor=ContributorFactory(user=expert_user)
    )


def test_asker_answer_author_and_followers_are_notified(
    answer, asker, expert_user, reader
):
    # given
    QuestionFollowFactory(user=reader, question=answer.question)
    commenter = UserFactory(first_name="Dana", last_name="Lee")
    comment = comment_on(answer, author=commenter, pk=7)
    # when
    actions.notify_comment_posted(comment, actor=commenter)
    # then
    rows = Notification.objects.order_by("recipient_id")
    assert [n.recipient for n in rows] == [asker, expert_user, reader]
    for notification in rows:
        assert notification.kind == Kind.COMMENT_POSTED
        assert notification.actor == commenter
        assert notification.question == answer.question
        assert notification.url == f"{answer.question.get_absolute_url()}#comment-7"
        assert (
            notification.text
            == "Dana Lee commented on an answer to “Is fatigue part of MS?”"
        )


def test_every_member_of_an_answering_organization_is_notified(asker):
    # given
    first, second = UserFactory(), UserFactory()
    organization = OrganizationFactory()
    for member in (first, second):
        MembershipFactory(organization=organization, user=member)
    answer = AnswerFactory(
        question=QuestionFactory(asker=asker), contributor=organization
    )
    # when
    actions.notify_comment_posted(comment_on(answer, author=asker), actor=asker)
    # then
    recipients = Notification.objects.order_by("recipient_id")
    assert [n.recipient for n in recipients] == [first, second]


def test_the_commenting_expert_is_not_told_of_their_own_comment(
    answer, asker, expert_user
):
    # given: the answer's author replies under their own answer and follows it
    QuestionFollowFactory(user=expert_user, question=answer.question)
    # when
    actions.notify_comment_posted(
        comment_on(answer, author=expert_user), actor=expert_user
    )
    # then
    assert Notification.objects.get().recipient == asker


def test_someone_matching_several_ways_is_notified_once(answer, asker, expert_user):
    # given: the answer's author follows the question, and so does the asker
    QuestionFollowFactory(user=expert_user, question=answer.question)
    QuestionFollowFactory(user=asker, question=answer.question)
    commenter = UserFactory()
    # when
    actions.notify_comment_posted(comment_on(answer, author=commenter), actor=commenter)
    # then
    assert sorted(n.recipient_id for n in Notification.objects.all()) == [
        asker.pk,
        expert_user.pk,
    ]


def test_an_answer_by_a_contributor_without_account_still_notifies_the_asker(asker):
    # given
    answer = AnswerFactory(
        question=QuestionFactory(asker=asker), contributor=ContributorFactory()
    )
    commenter = UserFactory()
    # when
    actions.notify_comment_posted(comment_on(answer, author=commenter), actor=commenter)
    # then
    assert Notification.objects.get().recipient == asker


def test_comments_switched_off_in_app_and_email_are_not_created(
    answer, asker, expert_user
):
    # given
    PreferenceFactory(
        user=expert_user, comment_posted_in_app=False, comment_posted_email=False
    )
    commenter = UserFactory()
    # when
    actions.notify_comment_posted(comment_on(answer, author=commenter), actor=commenter)
    # then
    assert Notification.objects.get().recipient == asker


def test_a_named_asker_commenting_is_named(answer, asker, expert_user):
    # when
    actions.notify_comment_posted(comment_on(answer, author=asker), actor=asker)
    # then
    notification = Notification.objects.get()
    assert notification.recipient == expert_user
    assert (
        notification.text
        == "Asha Rao commented on an answer to “Is fatigue part of MS?”"
    )
