"""Medical review: decisions, what readers see before and after, queues, and
who may review."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from askwell.accounts.tests.factories import EditorFactory, UserFactory
from askwell.audit.models import LogEntry
from askwell.experts.tests.factories import ContributorFactory
from askwell.questions import actions as question_actions
from askwell.questions.models import Answer
from askwell.questions.queries import is_overdue
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory
from askwell.review import actions, queries
from askwell.review.actions import ensure_reviewers_group
from askwell.review.models import MedicalReview
from askwell.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer():
    user = EditorFactory(username="reviewer")
    ContributorFactory(user=user, name="Rita Review", credentials="MD")
    user.groups.add(ensure_reviewers_group())
    return user


@pytest.fixture
def author():
    user = UserFactory(username="author", email="author@example.org")
    ContributorFactory(
        user=user, name="Alex Author", credentials="RN", specialty="Neurology"
    )
    return user


@pytest.fixture
def pending_answer(author):
    question = QuestionFactory(title="Does rest help gout?", status="open")
    return question_actions.post_answer(
        author,
        question,
        contributor=author.contributor,
        body="Rest and ice help most flares settle within a week or two.",
    )


def test_a_new_answer_waits_for_review_and_shows_marked_until_then(
    client, pending_answer
):
    assert pending_answer.review_state == Answer.Review.PENDING

    page = client.get(pending_answer.question.get_absolute_url()).content.decode()

    assert "Not yet medically reviewed" in page
    assert "Rest and ice help" in page


def test_without_unreviewed_answers_a_pending_answer_is_not_shown(
    client, settings, pending_answer
):
    settings.ASKWELL_SHOW_UNREVIEWED = False

    page = client.get(pending_answer.question.get_absolute_url()).content.decode()

    assert "Rest and ice help" not in page
    assert not Answer.objects.published().filter(pk=pending_answer.pk).exists()


def test_approval_publishes_records_audits_and_tells_the_author(
    client, reviewer, pending_answer, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        review = actions.approve_answer(reviewer, pending_answer, note="Accurate.")

    # then
    pending_answer.refresh_from_db()
    assert pending_answer.review_state == Answer.Review.PUBLISHED
    assert (pending_answer.reviewed_by, review.decision) == (reviewer, "approved")
    assert review.revision.number == 1
    entry = LogEntry.objects.get(action="answer.review.approved")
    assert (entry.actor, entry.before, entry.after) == (
        reviewer,
        {"review_state": "pending"},
        {"review_state": "published"},
    )
    assert mail.outbox[0].to == ["author@example.org"]
    assert "Decision: Approved" in mail.outbox[0].body
    page = client.get(pending_answer.question.get_absolute_url()).content.decode()
    assert "Medically reviewed by Rita Review, MD on" in page
    assert "Not yet medically reviewed" not in page


def test_requested_changes_hide_the_answer_until_the_author_edits_it(
    client, reviewer, author, pending_answer
):
    # when
    actions.request_changes(reviewer, pending_answer, note="Cite the 2020 guideline.")

    # then: readers no longer see it; the author sees the note
    pending_answer.refresh_from_db()
    assert pending_answer.review_state == Answer.Review.CHANGES_REQUESTED
    assert (
        "Rest and ice help"
        not in client.get(pending_answer.question.get_absolute_url()).content.decode()
    )
    client.force_login(author)
    edit = client.get(reverse("questions:edit-answer", args=[pending_answer.pk]))
    assert "Cite the 2020 guideline." in edit.content.decode()

    # when: the author edits, the answer goes back to the queue
    question_actions.edit_answer(
        author, pending_answer, body="Rest and ice help; see the 2020 guideline."
    )
    assert list(queries.pending()) == [Answer.objects.get(pk=pending_answer.pk)]


@pytest.mark.parametrize("decide", [actions.request_changes, actions.reject_answer])
def test_changes_and_rejections_need_a_note(reviewer, pending_answer, decide):
    with pytest.raises(ValidationError, match="Tell the author"):
        decide(reviewer, pending_answer, note="  ")

    pending_answer.refresh_from_db()
    assert pending_answer.review_state == Answer.Review.PENDING
    assert not MedicalReview.objects.exists()


@pytest.mark.parametrize("who", ["reader", "expert", "editor_only"])
def test_only_medical_reviewers_decide(who, pending_answer):
    user = {
        "reader": lambda: UserFactory(),
        "expert": lambda: ContributorFactory(user=UserFactory()).user,
        "editor_only": lambda: EditorFactory(),
    }[who]()

    with pytest.raises(PermissionDenied):
        actions.approve_answer(user, pending_answer)

    pending_answer.refresh_from_db()
    assert pending_answer.review_state == Answer.Review.PENDING
    assert not MedicalReview.objects.exists()
    assert not LogEntry.objects.exists()


def test_a_reviewer_cannot_review_their_own_answer(reviewer):
    own = question_actions.post_answer(
        reviewer,
        QuestionFactory(status="open"),
        contributor=reviewer.contributor,
        body="My own answer about gout and rest, written here.",
    )

    with pytest.raises(PermissionDenied, match="you signed"):
        actions.approve_answer(reviewer, own)

    own.refresh_from_db()
    assert own.review_state == Answer.Review.PENDING


def test_pending_queue_is_oldest_first_and_filters_by_topic_and_specialty():
    # given
    gout = TopicFactory(name="Gout")
    older = AnswerFactory(
        review_state="pending",
        contributor=ContributorFactory(specialty="Rheumatology"),
        question=QuestionFactory(topics=[gout]),
    )
    newer = AnswerFactory(
        review_state="pending", contributor=ContributorFactory(specialty="Neurology")
    )
    Answer.objects.filter(pk=older.pk).update(
        updated_at=timezone.now() - timedelta(days=3)
    )
    AnswerFactory(review_state="published")

    # then
    assert list(queries.pending()) == [older, newer]
    assert list(queries.pending(topic=gout)) == [older]
    assert list(queries.pending(specialty="neurology")) == [newer]


def test_reviews_fall_due_after_the_review_period(client, settings, reviewer):
    # given
    settings.ASKWELL_REVIEW_DAYS = 30
    stale = AnswerFactory(
        reviewed_by=reviewer, reviewed_at=timezone.now() - timedelta(days=31)
    )
    fresh = AnswerFactory(
        reviewed_by=reviewer, reviewed_at=timezone.now() - timedelta(days=2)
    )

    # then
    assert list(queries.due()) == [stale]
    assert is_overdue(stale)
    assert not is_overdue(fresh)
    page = client.get(stale.question.get_absolute_url()).content.decode()
    assert "due for a fresh medical review" in page
    # ...and a re-review approves it again
    actions.approve_answer(reviewer, stale)
    assert list(queries.due()) == []


def test_queue_pages_are_for_reviewers_and_record_decisions(
    client, reviewer, pending_answer, author
):
    client.force_login(author)
    assert client.get(reverse("review:queue")).status_code == 403

    client.force_login(reviewer)
    listing = client.get(reverse("review:queue")).content.decode()
    assert "Does rest help gout?" in listing
    response = client.post(
        reverse("review:answer", args=[pending_answer.pk]),
        {"decision": "approved", "note": ""},
    )

    assert response.status_code == 302
    pending_answer.refresh_from_db()
    assert pending_answer.review_state == Answer.Review.PUBLISHED
    assert (
        "Nothing waits for review"
        in client.get(reverse("review:queue")).content.decode()
    )
