"""Changes requested keeps faith with the reader: approved words stay before
readers while a newer version waits; an answer never approved is said to be
on its way; its author sees the reviewer's note and an Edit link; the asker
hears "answered" once per answer."""

from __future__ import annotations

import pytest

from askwell.accounts.tests.factories import EditorFactory, UserFactory
from askwell.experts.tests.factories import ContributorFactory
from askwell.notifications.models import Notification
from askwell.questions import actions as question_actions
from askwell.questions.models import Answer
from askwell.questions.tests.factories import QuestionFactory
from askwell.review import actions
from askwell.review.actions import ensure_reviewers_group

pytestmark = pytest.mark.django_db

APPROVED = "Rest and ice help most gout flares settle within a week or two."
REVISED = "Colchicine taken early shortens a flare; rest and ice help too."
NOTE = "Say how early colchicine must be taken."


@pytest.fixture
def reviewer():
    user = EditorFactory(username="reviewer")
    ContributorFactory(user=user, name="Rita Review", credentials="MD")
    user.groups.add(ensure_reviewers_group())
    return user


@pytest.fixture
def author():
    user = UserFactory(username="author")
    ContributorFactory(user=user, name="Alex Author", credentials="RN")
    return user


@pytest.fixture
def asker():
    return UserFactory(username="asker")


@pytest.fixture
def answer(author, asker):
    question = QuestionFactory(title="Does rest help gout?", status="open", asker=asker)
    return question_actions.post_answer(
        author, question, contributor=author.contributor, body=APPROVED
    )


def _page(client, answer, user=None) -> str:
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(answer.question.get_absolute_url()).content.decode()


def _told_answered(asker) -> int:
    return Notification.objects.filter(recipient=asker, kind="answer_posted").count()


@pytest.mark.parametrize("show_unreviewed", [False, True])
def test_readers_keep_the_approved_words_while_a_revision_waits(
    client, settings, reviewer, author, answer, show_unreviewed
):
    # given: an approved answer
    settings.ASKWELL_SHOW_UNREVIEWED = show_unreviewed
    actions.approve_answer(reviewer, answer)

    # when: its author revises it, and the reviewer asks for changes
    question_actions.edit_answer(author, answer, body=REVISED)
    waiting = _page(client, answer)
    actions.request_changes(reviewer, answer, note=NOTE)
    changes_requested = _page(client, answer)

    # then: readers see the approved words, reviewed, and never the new ones
    for page in (waiting, changes_requested):
        assert APPROVED in page
        assert REVISED not in page
        assert "Medically reviewed by Rita Review, MD on" in page
        assert "Not yet medically reviewed" not in page
        assert "Last updated" not in page
        assert "1 expert answer" in page
    assert Answer.objects.published().filter(pk=answer.pk).exists()

    # when: the author revises again, and the reviewer approves
    question_actions.edit_answer(author, answer, body=REVISED)
    actions.approve_answer(reviewer, answer)

    # then: readers see the new words, reviewed
    page = _page(client, answer)
    assert REVISED in page
    assert APPROVED not in page
    assert "Medically reviewed by Rita Review, MD on" in page
    answer.refresh_from_db()
    assert (answer.body, answer.draft) == (REVISED, None)


def test_the_reviewed_label_never_covers_words_no_reviewer_approved(
    client, reviewer, author, answer
):
    """Unreviewed answers shown (the default): an edit of approved words is
    not shown under the approval, and the API says which words are reviewed."""
    # given
    actions.approve_answer(reviewer, answer)

    # when
    question_actions.edit_answer(author, answer, body=REVISED)

    # then
    api = client.get(f"/api/v1/questions/{answer.question_id}").json()["answers"][0]
    assert (api["body"], api["review"]["medically_reviewed"]) == (APPROVED, True)
    assert api["review"]["state"] == "pending"
    assert api["review"]["pending_revision"] == 2


def test_a_rejected_revision_leaves_the_approved_words(
    client, reviewer, author, answer
):
    # given
    actions.approve_answer(reviewer, answer)
    question_actions.edit_answer(author, answer, body=REVISED)

    # when
    actions.reject_answer(reviewer, answer, note="Colchicine is not for everyone.")

    # then
    answer.refresh_from_db()
    assert (answer.body, answer.review_state, answer.draft) == (
        APPROVED,
        Answer.Review.PUBLISHED,
        None,
    )
    assert "Medically reviewed by Rita Review, MD on" in _page(client, answer)


@pytest.mark.parametrize("show_unreviewed", [False, True])
def test_a_never_approved_answer_in_revision_is_said_to_be_on_its_way(
    client, settings, reviewer, answer, show_unreviewed
):
    settings.ASKWELL_SHOW_UNREVIEWED = show_unreviewed

    # when
    actions.request_changes(reviewer, answer, note=NOTE)

    # then
    page = _page(client, answer)
    assert "No answers yet" not in page
    assert "An expert answer is being revised" in page
    assert APPROVED not in page
    assert NOTE not in page


def test_the_author_sees_the_note_and_an_edit_link(client, reviewer, author, answer):
    # given: never approved, changes requested
    actions.request_changes(reviewer, answer, note=NOTE)
    edit_link = f'href="/questions/answers/{answer.pk}/edit/"'

    # when
    mine = _page(client, answer, author)
    someone_elses = _page(client, answer, UserFactory())

    # then
    assert NOTE in mine
    assert "needs changes" in mine
    assert edit_link in mine
    assert NOTE not in someone_elses
    assert edit_link not in someone_elses


def test_the_author_sees_the_note_beside_the_approved_words(
    client, reviewer, author, answer
):
    # given: approved, revised, changes requested
    actions.approve_answer(reviewer, answer)
    question_actions.edit_answer(author, answer, body=REVISED)
    actions.request_changes(reviewer, answer, note=NOTE)

    # when
    mine = _page(client, answer, author)
    form = client.get(f"/questions/answers/{answer.pk}/edit/").content.decode()

    # then: the note, an edit link, and the form starts from the revision
    assert NOTE in mine
    assert "Readers see the version a reviewer approved" in mine
    assert f'href="/questions/answers/{answer.pk}/edit/"' in mine
    assert REVISED in form


@pytest.mark.parametrize("show_unreviewed", [False, True])
def test_the_asker_is_told_answered_once_when_readers_can_see_it(
    settings, reviewer, author, asker, show_unreviewed
):
    # given
    settings.ASKWELL_SHOW_UNREVIEWED = show_unreviewed
    question = QuestionFactory(title="Is gout hereditary?", status="open", asker=asker)

    # when: posted
    answer = question_actions.post_answer(
        author, question, contributor=author.contributor, body=APPROVED
    )

    # then: told now only if readers can see it now
    assert _told_answered(asker) == (1 if show_unreviewed else 0)

    # when: changes requested, edited, approved
    actions.request_changes(reviewer, answer, note=NOTE)
    question_actions.edit_answer(author, answer, body=REVISED)
    actions.approve_answer(reviewer, answer)

    # then: told once in all
    assert _told_answered(asker) == 1

    # when: revised and approved again
    question_actions.edit_answer(author, answer, body=APPROVED)
    actions.request_changes(reviewer, answer, note=NOTE)
    question_actions.edit_answer(author, answer, body=REVISED + " Ask first.")
    actions.approve_answer(reviewer, answer)

    # then: still once
    assert _told_answered(asker) == 1


@pytest.mark.parametrize("due_as", ["published", "needs_re_review"])
def test_changes_requested_at_a_re_review_keep_the_approved_words_shown(
    client, reviewer, author, answer, due_as
):
    """A reviewed answer falling due (or flagged for re-review) with no new
    version: the reviewer asks its author for changes. Readers keep the words
    that were approved, still signed off, until a new version is approved."""
    # given: approved words, due for review again
    actions.approve_answer(reviewer, answer)
    Answer.objects.filter(pk=answer.pk).update(review_state=due_as)
    answer.refresh_from_db()

    # when
    actions.request_changes(reviewer, answer, note=NOTE)

    # then: still shown, as reviewed, and the author sees the note
    assert Answer.objects.published().filter(pk=answer.pk).exists()
    page = _page(client, answer)
    assert APPROVED in page
    assert "Medically reviewed by Rita Review, MD on" in page
    assert "An expert answer is being revised" not in page
    mine = _page(client, answer, author)
    assert NOTE in mine
    assert f'href="/questions/answers/{answer.pk}/edit/"' in mine

    # when: the author revises; readers still see the approved words
    question_actions.edit_answer(author, answer, body=REVISED)
    page = _page(client, answer)
    assert APPROVED in page
    assert REVISED not in page

    # when: the reviewer approves the revision
    actions.approve_answer(reviewer, answer)

    # then
    page = _page(client, answer)
    assert REVISED in page
    assert APPROVED not in page
    answer.refresh_from_db()
    assert (answer.body, answer.draft, answer.review_state) == (
        REVISED,
        None,
        Answer.Review.PUBLISHED,
    )


def test_the_public_history_leaves_out_a_version_still_waiting_for_review(
    client, reviewer, author, answer
):
    # given: approved words, and a new version waiting behind them
    actions.approve_answer(reviewer, answer)
    question_actions.edit_answer(author, answer, body=REVISED)
    history = f"/questions/answers/{answer.pk}/history/"

    # when
    public = client.get(history).content.decode()
    client.force_login(author)
    own = client.get(history).content.decode()
    client.force_login(reviewer)
    reviewers = client.get(history).content.decode()

    # then: readers see the versions readers had; its author and the
    # editors see the waiting one too
    assert APPROVED in public
    assert "Colchicine" not in public
    assert "Colchicine" in own
    assert "Colchicine" in reviewers
