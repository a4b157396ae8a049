"""Editors hide, delete and restore questions, answers and comments: soft,
audited, the author told after the commit, search kept in step."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from askwell.accounts.tests.factories import PASSWORD
from askwell.audit.models import LogEntry
from askwell.moderation.actions import delete_content, hide_content, restore_content
from askwell.moderation.models import Flag
from askwell.moderation.tests.factories import FlagFactory
from askwell.search.indexing import index_answers
from askwell.search.models import SearchDocument

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "field", "public", "hidden"),
    [
        ("question", "moderation", "visible", "hidden"),
        ("answer", "status", "published", "hidden"),
        ("comment", "status", "published", "hidden"),
    ],
)
def test_hiding_is_soft_audited_and_closes_the_flags(
    kind,
    field,
    public,
    hidden,
    editor,
    reporter,
    request,
    django_capture_on_commit_callbacks,
):
    # given
    target = request.getfixturevalue(kind)
    flag = FlagFactory(reporter=reporter, **{"question": None, kind: target})

    # when
    with django_capture_on_commit_callbacks(execute=True):
        hide_content(editor, target, reason="Spam link")

    # then
    target.refresh_from_db()
    assert getattr(target, field) == hidden
    flag.refresh_from_db()
    assert (flag.status, flag.resolved_by, flag.resolution) == (
        "resolved",
        editor,
        "hidden: Spam link",
    )
    entry = LogEntry.objects.get(action=f"{kind}.hidden")
    assert (entry.actor, entry.object_id) == (editor, str(target.pk))
    assert (entry.before, entry.after) == ({field: public}, {field: hidden})
    assert entry.data == {"reason": "Spam link", "flags": [flag.pk]}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == f"Your {kind} on Askwell was hidden"
    assert "Their reason: Spam link" in mail.outbox[0].body


def test_the_answers_author_is_told(
    editor, answer, expert, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        delete_content(editor, answer, reason="Unsafe dose")

    assert [m.to for m in mail.outbox] == [[expert.email]]
    assert "An editor deleted your answer on “Does rest help" in mail.outbox[0].body


def test_restoring_brings_the_item_back(
    editor, answer, django_capture_on_commit_callbacks
):
    # given
    delete_content(editor, answer, reason="Unsafe dose")

    # when
    with django_capture_on_commit_callbacks(execute=True):
        restore_content(editor, answer, reason="The dose was right after all")

    # then
    answer.refresh_from_db()
    assert answer.status == "published"
    entry = LogEntry.objects.get(action="answer.restored")
    assert (entry.before, entry.after) == (
        {"status": "deleted"},
        {"status": "published"},
    )
    assert "See it: " in mail.outbox[-1].body


def test_hidden_answers_leave_search_and_come_back(
    editor, answer, django_capture_on_commit_callbacks
):
    # given
    index_answers([answer.pk])
    assert SearchDocument.objects.filter(answer=answer).exists()

    # when
    with django_capture_on_commit_callbacks(execute=True):
        hide_content(editor, answer, reason="Spam")

    # then
    assert not SearchDocument.objects.filter(answer=answer).exists()
    with django_capture_on_commit_callbacks(execute=True):
        restore_content(editor, answer, reason="Not spam")
    assert SearchDocument.objects.filter(answer=answer).exists()


def test_readers_cannot_moderate_and_nothing_changes(reporter, answer):
    with pytest.raises(PermissionDenied):
        hide_content(reporter, answer, reason="I disagree")

    answer.refresh_from_db()
    assert answer.status == "published"
    assert not LogEntry.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("act", "reason", "code"),
    [
        (hide_content, "", "reason_required"),
        (restore_content, "Fine", "not_removed"),
    ],
)
def test_refused_moderation_changes_nothing(editor, answer, act, reason, code):
    with pytest.raises(ValidationError) as error:
        act(editor, answer, reason=reason)

    codes = (
        [e.code for errors in error.value.error_dict.values() for e in errors]
        if hasattr(error.value, "error_dict")
        else [error.value.code]
    )
    assert codes == [code]
    answer.refresh_from_db()
    assert answer.status == "published"
    assert not LogEntry.objects.exists()


def test_hiding_twice_is_refused(editor, comment):
    hide_content(editor, comment, reason="Rude")

    with pytest.raises(ValidationError) as error:
        hide_content(editor, comment, reason="Rude")

    assert error.value.code == "hidden"
    assert LogEntry.objects.filter(action="comment.hidden").count() == 1


# --- pages ------------------------------------------------------------------------


def _sign_in(client, user):
    client.login(username=user.username, password=PASSWORD)


def test_a_hidden_answer_is_gone_for_readers(client, editor, reporter, answer):
    # given
    hide_content(editor, answer, reason="Spam")
    _sign_in(client, reporter)

    # when
    response = client.get(answer.question.get_absolute_url())

    # then
    assert response.status_code == 200
    assert "Rest for two days" not in response.content.decode()


def test_a_hidden_question_is_not_found_by_readers_but_editors_see_a_banner(
    client, editor, reporter, question
):
    # given
    hide_content(editor, question, reason="Off-topic")

    # then
    assert client.get(question.get_absolute_url()).status_code == 404
    _sign_in(client, reporter)
    assert client.get(question.get_absolute_url()).status_code == 404
    _sign_in(client, editor)
    page = client.get(question.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "This question is hidden." in html
    assert f'action="/moderation/content/question/{question.pk}/restore/"' in html


def test_the_restore_button_on_the_page_restores(client, editor, question):
    # given
    delete_content(editor, question, reason="Duplicate spam")
    _sign_in(client, editor)

    # when
    response = client.post(
        f"/moderation/content/question/{question.pk}/restore/",
        {"reason": "Mistake", "next": question.get_absolute_url()},
    )

    # then
    assert response.status_code == 302
    assert response["Location"] == question.get_absolute_url()
    question.refresh_from_db()
    assert question.moderation == "visible"


def test_the_moderate_endpoint_needs_a_reason(client, editor, answer):
    _sign_in(client, editor)

    response = client.post(
        f"/moderation/content/answer/{answer.pk}/hide/", {"reason": ""}
    )

    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.status == "published"


@pytest.mark.parametrize("verb", ["hide", "delete", "restore"])
def test_readers_get_403_from_the_moderate_endpoint(client, reporter, answer, verb):
    _sign_in(client, reporter)

    response = client.post(
        f"/moderation/content/answer/{answer.pk}/{verb}/", {"reason": "x"}
    )

    assert response.status_code == 403
    answer.refresh_from_db()
    assert answer.status == "published"


def test_the_removed_list_shows_each_kind_with_a_restore_form(
    client, editor, question, answer, comment
):
    # given
    hide_content(editor, answer, reason="Spam")
    delete_content(editor, comment, reason="Rude")
    _sign_in(client, editor)

    # when
    response = client.get("/moderation/removed/")

    # then
    html = response.content.decode()
    assert f'action="/moderation/content/answer/{answer.pk}/restore/"' in html
    assert f'action="/moderation/content/comment/{comment.pk}/restore/"' in html
    assert "No hidden or deleted questions." in html


def test_dismissing_closes_every_open_flag_on_the_item(
    client, editor, reporter, answer
):
    # given
    first = FlagFactory(reporter=reporter, question=None, answer=answer)
    second = FlagFactory(question=None, answer=answer, reason=Flag.Reason.HARMFUL)
    _sign_in(client, editor)

    # when
    response = client.post(f"/moderation/flags/{first.pk}/dismiss/", {"reason": "Fine"})

    # then
    assert response.status_code == 302
    assert set(Flag.objects.values_list("pk", "status")) == {
        (first.pk, "dismissed"),
        (second.pk, "dismissed"),
    }
    entry = LogEntry.objects.get(action="flag.dismissed")
    assert entry.data == {"reason": "Fine", "flags": [first.pk, second.pk]}
    answer.refresh_from_db()
    assert answer.status == "published"


def test_a_hidden_questions_answers_leave_search(
    client, editor, answer, django_capture_on_commit_callbacks
):
    # given
    index_answers([answer.pk])

    # when
    with django_capture_on_commit_callbacks(execute=True):
        hide_content(editor, answer.question, reason="Off-topic")

    # then
    query = {"q": "rest two days move gently"}
    assert answer.question.title not in client.get("/search/", query).content.decode()
    assert (
        answer.question.title
        not in client.get("/api/v1/search", query).content.decode()
    )
