"""An edit of an answer by anyone but its signer (an editor) is shown on
the answer and in its history, sends the answer back to medical review and
tells the signer: through the edit page, the API and a restore."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from askwell.accounts.actions import create_api_token
from askwell.accounts.tests.factories import EditorFactory, UserFactory
from askwell.experts.models import Membership
from askwell.experts.tests.factories import (
    ContributorFactory,
    MembershipFactory,
    OrganizationFactory,
)
from askwell.notifications.models import Notification
from askwell.questions import actions
from askwell.questions.models import Answer, Revision
from askwell.review.actions import approve_answer, ensure_reviewers_group

pytestmark = pytest.mark.django_db

EXPERT_WORDS = "Plasma exchange helps some people with severe relapses of MS."
EDITOR_WORDS = "Plasma exchange helps some people with a severe MS relapse."


@pytest.fixture
def answer(expert, open_question):
    """Jane Doe, RN's answer, medically reviewed."""
    posted = actions.post_answer(
        expert, open_question, contributor=expert.contributor, body=EXPERT_WORDS
    )
    Answer.objects.filter(pk=posted.pk).update(review_state=Answer.Review.PUBLISHED)
    return posted


def _edit_on_the_page(client, user, answer, body):
    client.force_login(user)
    response = client.post(
        f"/questions/answers/{answer.pk}/edit/",
        {"contributor": answer.contributor_id, "body": body, "reason": "Plainer"},
    )
    assert response.status_code == 302
    client.logout()


def _edit_through_the_api(client, user, answer, body):
    token = create_api_token(user, name="tests")[1]
    response = Client().patch(
        f"/api/v1/answers/{answer.pk}",
        json.dumps({"body": body, "reason": "Plainer"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("edit", [_edit_on_the_page, _edit_through_the_api])
def test_an_editors_edit_is_shown_sent_to_review_and_told_to_the_author(
    client, editor, expert, answer, mailoutbox, django_capture_on_commit_callbacks, edit
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        edit(client, editor, answer, EDITOR_WORDS)

    # then: the new words wait for review again, behind the reviewed ones
    answer.refresh_from_db()
    assert (answer.body, answer.review_state) == (EXPERT_WORDS, Answer.Review.PENDING)
    revision = answer.revisions.get(number=2)
    assert (revision, revision.body) == (answer.draft, EDITOR_WORDS)
    assert (revision.author, revision.by_signer) == (editor, False)
    # readers keep the reviewed words until the edit is approved; the
    # history shows its signer who changed it (readers, once approved)
    page = client.get(answer.question.get_absolute_url()).content.decode()
    assert "Edited by" not in page
    history_url = f"/questions/answers/{answer.pk}/history/"
    assert "Edited by" not in client.get(history_url).content.decode()
    client.force_login(expert)
    history = client.get(history_url).content.decode()
    client.logout()
    assert "Edited by editor, not by Jane Doe, RN" in history
    # the author is told, in the inbox and by email
    notification = Notification.objects.get(recipient=expert)
    assert (notification.kind, notification.actor, notification.url) == (
        "answer_edited",
        editor,
        f"/questions/answers/{answer.pk}/history/",
    )
    assert notification.text == (
        "editor edited your answer to “Can plasma exchange help multiple "
        "sclerosis?”; it waits for medical review again"
    )
    assert [m.to for m in mailoutbox] == [[expert.email]]


def test_the_api_shows_the_outside_edit(client, editor, answer):
    # when: an editor edits, and another reviewer approves the edit
    body = _edit_through_the_api(client, editor, answer, EDITOR_WORDS)
    reviewer = EditorFactory(username="rita")
    ContributorFactory(user=reviewer, name="Rita Review", slug="rita-review")
    reviewer.groups.add(ensure_reviewers_group())
    approve_answer(reviewer, answer)

    # then: the edit waited behind the reviewed words; once approved, it is shown
    assert (body["body"], body["outside_edit"]) == (EXPERT_WORDS, None)
    assert body["review"]["pending_revision"] == 2
    shown = Client().get(f"/api/v1/questions/{answer.question_id}").json()
    assert shown["answers"][0]["body"] == EDITOR_WORDS
    assert shown["answers"][0]["outside_edit"]["by"] == "editor"
    assert shown["answers"][0]["outside_edit"]["at"]


def test_the_authors_own_edit_is_not_marked_and_tells_nobody(
    client, expert, answer, mailoutbox, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        _edit_on_the_page(client, expert, answer, EDITOR_WORDS)

    # then
    assert answer.revisions.get(number=2).by_signer is True
    page = client.get(answer.question.get_absolute_url()).content.decode()
    assert "Edited by" not in page
    assert not Notification.objects.filter(kind="answer_edited").exists()
    assert mailoutbox == []


def test_every_current_member_of_the_organization_is_told(
    editor, open_question, django_capture_on_commit_callbacks
):
    # given: two members now, one who left
    organization = OrganizationFactory(name="MS Society")
    writer, colleague, former = UserFactory(), UserFactory(), UserFactory()
    for member in (writer, colleague):
        MembershipFactory(organization=organization, user=member)
    MembershipFactory(
        organization=organization, user=former, status=Membership.Status.ENDED
    )
    answer = actions.post_answer(
        writer, open_question, contributor=organization, body=EXPERT_WORDS
    )

    # when
    with django_capture_on_commit_callbacks(execute=True):
        actions.edit_answer(editor, answer, body=EDITOR_WORDS)

    # then
    recipients = set(
        Notification.objects.filter(kind="answer_edited").values_list(
            "recipient", flat=True
        )
    )
    assert recipients == {writer.pk, colleague.pk}


def test_a_member_editing_the_organizations_answer_edits_as_its_signer(
    open_question,
):
    # given
    organization = OrganizationFactory()
    writer, colleague = UserFactory(), UserFactory()
    for member in (writer, colleague):
        MembershipFactory(organization=organization, user=member)
    answer = actions.post_answer(
        writer, open_question, contributor=organization, body=EXPERT_WORDS
    )

    # when
    actions.edit_answer(colleague, answer, body=EDITOR_WORDS)

    # then
    assert answer.revisions.get(number=2).by_signer is True
    assert not Notification.objects.filter(kind="answer_edited").exists()


def test_an_editors_restore_counts_as_their_edit(
    client, editor, expert, answer, django_capture_on_commit_callbacks
):
    # given: the author changed the text, the editor restores the first version
    actions.edit_answer(expert, answer, body=EDITOR_WORDS)
    first = Revision.objects.get(answer=answer, number=1)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        actions.restore_revision(editor, first, reason="Back to the reviewed text")

    # then
    restored = Revision.objects.get(answer=answer, number=3)
    assert (restored.author, restored.by_signer) == (editor, False)
    assert Notification.objects.get(kind="answer_edited").recipient == expert
    # it waits for review behind the reviewed words; the history shows it
    # to its signer
    answer.refresh_from_db()
    assert answer.draft == restored
    client.force_login(expert)
    history = client.get(f"/questions/answers/{answer.pk}/history/").content.decode()
    assert "Edited by editor, not by Jane Doe, RN" in history


def test_the_edit_page_tells_an_editor_what_their_edit_does(client, editor, answer):
    # when
    client.force_login(editor)
    html = client.get(f"/questions/answers/{answer.pk}/edit/").content.decode()

    # then
    assert (
        "You are editing the answer of Jane Doe, RN. Your edit will be shown on "
        "the answer as yours, sends it back to medical review, and Jane Doe, RN "
        "is told. You cannot review it yourself." in html
    )


def test_an_editors_question_edit_is_shown_in_its_history(
    client, editor, asker, open_question
):
    """Question edits by editors are moderation: no review, but never hidden."""
    # when
    actions.edit_question(
        editor,
        open_question,
        title=open_question.title,
        details="Removed the phone number.",
        topics=[],
        reason="Personal details",
    )

    # then
    revision = open_question.revisions.get()
    assert (revision.author, revision.by_signer) == (editor, False)
    history = client.get(f"/questions/{open_question.slug}/history/").content.decode()
    assert "Edited by editor, not by the asker" in history
