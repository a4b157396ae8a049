"""A medical review means someone else checked these exact words: nobody
reviews an answer they wrote any of, one they sign, or one signed by an
organization they belonged to when it was written. Through the pages and
the API, as the outside review reproduced it."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from askwell.accounts.actions import create_api_token
from askwell.accounts.tests.factories import EditorFactory, UserFactory
from askwell.experts import actions as expert_actions
from askwell.experts.models import Membership
from askwell.experts.tests.factories import (
    ContributorFactory,
    MembershipFactory,
    OrganizationFactory,
)
from askwell.questions import actions as question_actions
from askwell.questions.models import Answer, Revision
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory
from askwell.review import actions, queries
from askwell.review.actions import ensure_reviewers_group
from askwell.review.models import MedicalReview
from askwell.review.permissions import can_review
from askwell.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

EXPERT_WORDS = "Plasma exchange helps some people with severe relapses of MS."
EDITOR_WORDS = "Plasma exchange cures MS in most people within a month."
TITLE = "Can plasma exchange help multiple sclerosis?"


def _reviewer(username: str) -> object:
    """An editor and medical reviewer, with the profile readers see them by."""
    user = EditorFactory(username=username)
    ContributorFactory(user=user, name=f"Reviewer {username.title()}", credentials="MD")
    user.groups.add(ensure_reviewers_group())
    return user


@pytest.fixture
def reviewer():
    """ed, an editor and medical reviewer."""
    return _reviewer("ed")


@pytest.fixture
def okafor():
    user = UserFactory(username="drokafor")
    ContributorFactory(user=user, name="Samuel Okafor", credentials="MD")
    return user


@pytest.fixture
def question():
    return QuestionFactory(title=TITLE, status="open")


@pytest.fixture
def answer(okafor, question):
    return question_actions.post_answer(
        okafor, question, contributor=okafor.contributor, body=EXPERT_WORDS
    )


def _api(method: str, path: str, user, body: dict) -> tuple[int, dict]:
    token = create_api_token(user, name="tests")[1]
    response = getattr(Client(), method)(
        f"/api/v1{path}",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    return response.status_code, response.json()


def _try_to_approve(client, user, answer) -> tuple[int, int, str]:
    """What `user` gets from the review page and its approve button."""
    client.force_login(user)
    page = client.get(f"/review/answers/{answer.pk}/")
    approve = client.post(
        f"/review/answers/{answer.pk}/", {"decision": "approved", "note": ""}
    )
    return page.status_code, approve.status_code, approve.content.decode()


def _unreviewed(answer) -> bool:
    answer.refresh_from_db()
    return (
        answer.review_state == Answer.Review.PENDING
        and answer.reviewed_by is None
        and not MedicalReview.objects.filter(answer=answer).exists()
    )


# --- (a) an editor rewrites an expert's answer, then approves it ---------------------


def test_an_editor_who_rewrote_an_answer_through_the_api_cannot_approve_it(
    client, reviewer, answer
):
    # given: the editor replaces the expert's words through the API
    status, body = _api(
        "patch", f"/answers/{answer.pk}", reviewer, {"body": EDITOR_WORDS}
    )
    assert status == 200
    assert body["body"] == EDITOR_WORDS

    # when: they open the review page and approve
    page, approve, html = _try_to_approve(client, reviewer, answer)

    # then
    assert (page, approve) == (403, 403)
    assert "You cannot review this answer: you wrote some of its words." in html
    assert _unreviewed(answer)


def test_an_editor_who_rewrote_an_answer_on_its_page_cannot_approve_it(
    client, reviewer, answer
):
    # given: the editor replaces the expert's words on the edit page
    client.force_login(reviewer)
    edited = client.post(
        f"/questions/answers/{answer.pk}/edit/",
        {
            "contributor": answer.contributor_id,
            "body": EDITOR_WORDS,
            "reason": "Clearer",
        },
    )
    assert edited.status_code == 302
    assert Answer.objects.get(pk=answer.pk).body == EDITOR_WORDS

    # when
    page, approve, html = _try_to_approve(client, reviewer, answer)

    # then
    assert (page, approve) == (403, 403)
    assert "you wrote some of its words" in html
    assert _unreviewed(answer)


def test_a_later_edit_by_the_author_does_not_clear_the_editor(
    client, reviewer, okafor, answer
):
    """The editor's words may survive the author's next edit."""
    # given
    question_actions.edit_answer(reviewer, answer, body=EDITOR_WORDS)
    question_actions.edit_answer(okafor, answer, body=EDITOR_WORDS + " See below.")

    # when
    page, approve, _ = _try_to_approve(client, reviewer, answer)

    # then
    assert (page, approve) == (403, 403)
    assert _unreviewed(answer)


def test_another_reviewer_approves_the_editors_words(client, reviewer, answer):
    # given
    question_actions.edit_answer(reviewer, answer, body=EDITOR_WORDS)
    other = _reviewer("rita")
    client.force_login(other)
    shown = client.get(f"/review/answers/{answer.pk}/").content.decode()

    # when
    page, approve, _ = _try_to_approve(client, other, answer)

    # then
    assert (page, approve) == (200, 302)
    assert "Edited by Reviewer Ed, MD, not by Samuel Okafor, MD, on" in shown
    answer.refresh_from_db()
    assert (answer.review_state, answer.reviewed_by) == (Answer.Review.PUBLISHED, other)


# --- (b) an editor joins an organization, answers as it, leaves, approves --------------


@pytest.fixture
def society():
    """A verified organization with an administrator, who invites."""
    organization = OrganizationFactory(name="Northfield MS Society", slug="northfield")
    MembershipFactory(
        organization=organization,
        user=UserFactory(username="chair"),
        role=Membership.Role.ADMIN,
    )
    return organization


def _join(client, user, organization) -> None:
    """`user` is invited by the organization's administrator and accepts."""
    chair = organization.memberships.get(role=Membership.Role.ADMIN).user
    invitation = expert_actions.invite_member(chair, organization, user)
    client.force_login(user)
    assert (
        client.post(f"/experts/invitations/{invitation.pk}/accept/").status_code == 302
    )


def _leave(client, user, organization) -> None:
    client.force_login(user)
    left = client.post(
        f"/contributors/{organization.slug}/members/remove/",
        {"username": user.get_username()},
    )
    assert left.status_code == 302
    assert not organization.memberships.active().filter(user=user).exists()


def test_an_editor_who_answered_for_an_organization_they_left_cannot_approve_on_pages(
    client, reviewer, society, question
):
    # given: the editor joins, answers as the organization, and leaves
    _join(client, reviewer, society)
    posted = client.post(
        f"/questions/{question.slug}/answer/",
        {"contributor": society.pk, "body": EDITOR_WORDS},
    )
    assert posted.status_code == 302
    answer = Answer.objects.get(contributor=society)
    _leave(client, reviewer, society)

    # when
    page, approve, html = _try_to_approve(client, reviewer, answer)

    # then
    assert (page, approve) == (403, 403)
    assert "you wrote some of its words" in html
    assert _unreviewed(answer)


def test_an_editor_who_answered_for_an_organization_they_left_cannot_approve_via_api(
    client, reviewer, society, question
):
    # given
    _join(client, reviewer, society)
    status, body = _api(
        "post",
        f"/questions/{question.pk}/answers",
        reviewer,
        {"body": EDITOR_WORDS, "contributor": society.pk},
    )
    assert status == 201
    answer = Answer.objects.get(pk=body["id"])
    _leave(client, reviewer, society)

    # when
    page, approve, html = _try_to_approve(client, reviewer, answer)

    # then
    assert (page, approve) == (403, 403)
    assert "you wrote some of its words" in html
    assert _unreviewed(answer)


def test_nobody_reviews_what_their_organization_wrote_while_they_belonged(
    client, reviewer, society, question
):
    """A colleague wrote it; the reviewer was a member then, and has left."""
    # given
    _join(client, reviewer, society)
    colleague = UserFactory(username="colleague")
    MembershipFactory(organization=society, user=colleague)
    answer = question_actions.post_answer(
        colleague, question, contributor=society, body=EXPERT_WORDS
    )
    _leave(client, reviewer, society)

    # when
    page, approve, html = _try_to_approve(client, reviewer, answer)

    # then
    assert (page, approve) == (403, 403)
    assert (
        "You cannot review this answer: you were a member of Northfield MS Society "
        "when it was written." in html
    )
    assert _unreviewed(answer)


def test_a_current_member_cannot_review_the_organizations_answer(
    client, reviewer, society, question
):
    # given: a colleague answers after the reviewer joined
    _join(client, reviewer, society)
    colleague = UserFactory()
    MembershipFactory(organization=society, user=colleague)
    answer = question_actions.post_answer(
        colleague, question, contributor=society, body=EXPERT_WORDS
    )

    # when
    page, approve, html = _try_to_approve(client, reviewer, answer)

    # then
    assert (page, approve) == (403, 403)
    assert "You cannot review an answer you signed" in html
    assert _unreviewed(answer)


def test_membership_before_or_after_the_writing_does_not_count(reviewer, society):
    """Only a membership running when a version was written disqualifies."""
    # given: one answer written after the reviewer left, one before they joined
    now = timezone.now()
    MembershipFactory(
        organization=society,
        user=reviewer,
        status=Membership.Status.ENDED,
        joined_at=now - timedelta(days=30),
        left_at=now - timedelta(days=20),
    )
    after = AnswerFactory(contributor=society, review_state="pending")
    before = AnswerFactory(
        contributor=society,
        review_state="pending",
        created_at=now - timedelta(days=40),
    )
    Revision.objects.create(
        question=before.question,
        answer=before,
        number=1,
        body=before.body,
        created_at=now - timedelta(days=40),
    )
    during = AnswerFactory(
        contributor=society,
        review_state="pending",
        created_at=now - timedelta(days=25),
    )

    # then
    assert can_review(reviewer, after)
    assert can_review(reviewer, before)
    assert not can_review(reviewer, during)


def test_a_revision_written_while_a_member_counts_even_if_the_answer_is_older(
    reviewer, society
):
    # given: an answer from before the reviewer joined, revised while they belonged
    now = timezone.now()
    MembershipFactory(
        organization=society,
        user=reviewer,
        status=Membership.Status.ENDED,
        joined_at=now - timedelta(days=30),
        left_at=now - timedelta(days=20),
    )
    answer = AnswerFactory(
        contributor=society,
        review_state="pending",
        created_at=now - timedelta(days=40),
    )
    Revision.objects.create(
        question=answer.question,
        answer=answer,
        number=2,
        body=answer.body,
        created_at=now - timedelta(days=25),
    )

    # then
    assert not can_review(reviewer, answer)


# --- the queue ----------------------------------------------------------------------


def test_the_queue_offers_only_what_the_reviewer_may_review_and_says_so(
    client, reviewer, answer
):
    # given: the reviewer rewrote one pending answer; another waits too
    question_actions.edit_answer(reviewer, answer, body=EDITOR_WORDS)
    other = AnswerFactory(
        review_state="pending", question=QuestionFactory(title="Does rest help gout?")
    )
    client.force_login(reviewer)

    # when
    html = client.get("/review/").content.decode()

    # then
    assert "Does rest help gout?" in html
    assert TITLE not in html
    assert "Pending review (1)" in html
    assert (
        "1 more answer waits for another reviewer: you wrote some of it, sign it, "
        "or belonged to its organization when it was written." in html
    )
    assert list(queries.pending(reviewer=reviewer)) == [other]
    assert set(queries.pending()) == {answer, other}


def test_the_queue_page_counts_what_its_listings_list(reviewer, answer, society):
    # given: answers of every kind the two queues and their filters tell
    # apart: pending and due, ones the reviewer wrote, signs (through their
    # organization) or may review, in a subtopic, by another specialty
    question_actions.edit_answer(reviewer, answer, body=EDITOR_WORDS)
    MembershipFactory(organization=society, user=reviewer)
    long_ago = timezone.now() - timedelta(days=800)
    parent = TopicFactory(slug="joints")
    child = TopicFactory(slug="gout", parent=parent)
    in_topic = QuestionFactory(topics=[child])
    rheumatologist = ContributorFactory(specialty="Rheumatology")
    AnswerFactory(review_state="pending", question=in_topic)
    AnswerFactory(review_state="pending", contributor=rheumatologist)
    AnswerFactory(review_state="pending", contributor=society, question=in_topic)
    AnswerFactory(review_state="needs_re_review", contributor=rheumatologist)
    AnswerFactory(review_state="published", reviewed_at=long_ago, question=in_topic)
    AnswerFactory(review_state="published", reviewed_at=None, created_at=long_ago)
    AnswerFactory(review_state="published", reviewed_at=timezone.now())
    AnswerFactory(review_state="published", contributor=society, reviewed_at=long_ago)
    AnswerFactory(review_state="pending", status=Answer.Status.HIDDEN)

    for kind, listing in (("pending", queries.pending), ("due", queries.due)):
        for topic in (None, parent, child):
            for specialty in ("", "rheumatology"):
                # when
                counts = queries.queue_counts(
                    reviewer, kind=kind, topic=topic, specialty=specialty
                )

                # then: each number is its listing's length
                case = (kind, topic, specialty)
                mine = listing(topic=topic, specialty=specialty, reviewer=reviewer)
                everyone = listing(topic=topic, specialty=specialty)
                assert counts.listed == len(mine), case
                assert counts.left_to_others == len(everyone) - len(mine), case
                assert counts.pending == len(queries.pending(reviewer=reviewer))
                assert counts.due == len(queries.due(reviewer=reviewer))

    # and the cases are not all empty: the test can tell the counts apart
    pending = queries.queue_counts(reviewer, kind="pending")
    due = queries.queue_counts(reviewer, kind="due", topic=parent)
    assert (pending.pending, pending.left_to_others) == (2, 2)
    assert (due.listed, due.due) == (1, 3)


def test_the_action_refuses_whoever_calls_it(reviewer, answer):
    # given
    question_actions.edit_answer(reviewer, answer, body=EDITOR_WORDS)

    # when / then: not only the page checks
    with pytest.raises(PermissionDenied, match="you wrote some of its words"):
        actions.approve_answer(reviewer, answer)
    with pytest.raises(PermissionDenied, match="you wrote some of its words"):
        actions.request_changes(reviewer, answer, note="Cite a trial.")
    assert _unreviewed(answer)
