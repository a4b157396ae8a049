"""Readers see who reviewed an answer by name and credentials, never by a
username: a reviewer needs a display name (a contributor profile) to review."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils.dateformat import format as date_format

from askwell.accounts.tests.factories import EditorFactory, UserFactory
from askwell.experts.tests.factories import ContributorFactory
from askwell.questions import actions as question_actions
from askwell.questions.models import Answer
from askwell.questions.tests.factories import QuestionFactory
from askwell.review import actions
from askwell.review.actions import ensure_reviewers_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def nameless_reviewer():
    """An editor and reviewer with no contributor profile: only a username."""
    user = EditorFactory(username="editor7")
    user.groups.add(ensure_reviewers_group())
    return user


@pytest.fixture
def answer():
    author = UserFactory(username="author")
    ContributorFactory(user=author, name="Alex Author", credentials="RN")
    return question_actions.post_answer(
        author,
        QuestionFactory(title="Does rest help gout?", status="open"),
        contributor=author.contributor,
        body="Rest and ice help most flares settle within a week or two.",
    )


def test_readers_see_the_reviewer_by_display_name_credentials_and_date(client, answer):
    # given
    reviewer = EditorFactory(username="editor")
    reviewer.groups.add(ensure_reviewers_group())
    ContributorFactory(user=reviewer, name="Rita Review", credentials="MD, PhD")

    # when
    actions.approve_answer(reviewer, answer)

    # then
    answer.refresh_from_db()
    page = client.get(answer.question.get_absolute_url()).content.decode()
    day = date_format(answer.reviewed_at, "N j, Y")
    assert "Medically reviewed by Rita Review, MD, PhD on <time" in page
    assert f"{day}</time>" in page
    assert "reviewed by editor" not in page


def test_a_reviewer_without_a_display_name_cannot_review(nameless_reviewer, answer):
    with pytest.raises(ValidationError) as refused:
        actions.approve_answer(nameless_reviewer, answer)

    assert refused.value.code == "no_display_name"
    assert "display name" in refused.value.messages[0]
    answer.refresh_from_db()
    assert (answer.review_state, answer.reviewed_by) == (Answer.Review.PENDING, None)
    assert not answer.reviews.exists()


def test_the_review_page_refuses_and_the_queue_says_why(
    client, nameless_reviewer, answer
):
    client.force_login(nameless_reviewer)

    queue = client.get("/review/").content.decode()
    posted = client.post(
        f"/review/answers/{answer.pk}/", {"decision": "approved", "note": ""}
    )

    assert "You cannot record decisions yet" in queue
    assert "contributor profile with your display name" in queue
    assert posted.status_code == 200
    assert "contributor profile with your display name" in posted.content.decode()
    answer.refresh_from_db()
    assert answer.review_state == Answer.Review.PENDING


def test_a_review_whose_reviewer_lost_their_profile_names_no_username(client, answer):
    # given: reviewed when they had a profile, which is gone since
    reviewer = EditorFactory(username="editor")
    reviewer.groups.add(ensure_reviewers_group())
    profile = ContributorFactory(user=reviewer, name="Rita Review")
    actions.approve_answer(reviewer, answer)
    profile.user = None
    profile.save(update_fields=["user"])

    # when
    page = client.get(answer.question.get_absolute_url()).content.decode()

    # then
    assert "Medically reviewed on <time" in page
    assert "editor" not in page.split("answer__reviewed", 1)[1].split("</p>", 1)[0]
