"""Editors and admins browse the audit log at /moderation/audit/ and in the Django admin;
nothing on either can add, change or delete an entry."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

import askwell
from askwell.accounts.tests.factories import PASSWORD
from askwell.audit import MASK, log_action
from askwell.audit.display import PHRASES
from askwell.audit.models import LogEntry
from askwell.questions.models import Answer
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory
from askwell.review.models import MedicalReview

pytestmark = pytest.mark.django_db
URL = "/moderation/audit/"


@pytest.fixture
def entries(editor, reporter, question, answer):
    now = timezone.now()
    made = {
        "hidden": log_action(answer, "answer.hidden", editor, {"reason": "Spam"}),
        "flag": log_action(question, "flag.created", reporter, {"reason": "spam"}),
        "old": log_action(question, "question.hidden", editor),
    }
    LogEntry.objects.filter(pk=made["old"].pk).update(
        created_at=now - timedelta(days=10)
    )
    return made


def _shown(response):
    return list(response.context["page"].object_list)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["flag", "hidden", "old"]),
        ({"action": "answer.hidden"}, ["hidden"]),
        ({"action": "question."}, ["old"]),
        ({"actor": "REPORTER"}, ["flag"]),
        ({"object_type": "answer"}, ["hidden"]),
        ({"since": "today"}, ["flag", "hidden"]),
        ({"until": "ten days ago"}, ["old"]),
    ],
)
def test_admins_filter_the_log(client, admin_user, entries, params, expected):
    # given
    today = timezone.localdate()
    values = {
        "today": today.isoformat(),
        "ten days ago": (today - timedelta(days=10)).isoformat(),
        "answer": str(ContentType.objects.get_for_model(Answer).pk),
    }
    query = {k: values.get(v, v) for k, v in params.items()}
    client.login(username="admin", password=PASSWORD)

    # when
    response = client.get(URL, query)

    # then
    assert response.status_code == 200
    names = {entry.pk: name for name, entry in entries.items()}
    assert [names[e.pk] for e in _shown(response)] == expected


@pytest.mark.parametrize("n", [3, 20])
def test_the_log_query_count_is_flat(
    client, editor, author, django_assert_num_queries, n
):
    """1 the session, 2 the editor, 3 their Editors group, 4 the entry
    count, 5 and 6 the editor's permissions and their groups' (the header's
    editor menu), 7 the contributors they sign as (the header's expert
    links), 8 the header's unread notifications, 9 the page of entries with
    actors and types, 10 the questions and 11 the answers with their
    questions they name (for their links), 12 the object types for the
    filter."""
    for _ in range(n):
        question = QuestionFactory(asker=author)
        log_action(question, "question.hidden", editor)
        log_action(AnswerFactory(question=question), "answer.hidden", editor)
    client.login(username="editor", password=PASSWORD)

    with django_assert_num_queries(12):
        response = client.get(URL)

    assert len(_shown(response)) == 2 * n
    assert all(row.url for row in response.context["rows"])


def test_readers_and_experts_cannot_read_the_log(client, reporter, expert):
    assert client.get(URL).status_code == 302
    for user in (reporter, expert):
        client.login(username=user.username, password=PASSWORD)
        assert client.get(URL).status_code == 403


def test_an_editor_reads_the_log_of_their_own_actions(client, editor, entries):
    client.login(username="editor", password=PASSWORD)

    response = client.get(URL, {"actor": "editor"})

    assert response.status_code == 200
    assert {e.pk for e in _shown(response)} == {
        entries["hidden"].pk,
        entries["old"].pk,
    }


def test_the_log_page_accepts_no_writes(client, admin_user, entries):
    client.login(username="admin", password=PASSWORD)

    response = client.post(URL, {"action": "x"})

    assert response.status_code == 405
    assert LogEntry.objects.count() == 3


# --- the Django admin ---------------------------------------------------------------


def test_the_admin_lists_and_shows_entries_read_only(client, admin_user, entries):
    client.login(username="admin", password=PASSWORD)
    entry = entries["hidden"]

    listing = client.get("/admin/audit/logentry/")
    detail = client.get(f"/admin/audit/logentry/{entry.pk}/change/")

    assert listing.status_code == 200
    assert "answer.hidden" in listing.content.decode()
    assert detail.status_code == 200
    html = detail.content.decode()
    assert 'name="_save"' not in html
    assert "/delete/" not in html


def test_no_admin_path_adds_changes_or_deletes(client, admin_user, entries):
    # given
    client.login(username="admin", password=PASSWORD)
    entry = entries["hidden"]
    before = list(LogEntry.objects.values().order_by("pk"))

    # when
    responses = [
        client.get("/admin/audit/logentry/add/"),
        client.post("/admin/audit/logentry/add/", {"action": "forged"}),
        client.post(
            f"/admin/audit/logentry/{entry.pk}/change/",
            {"action": "forged", "object_repr": "x"},
        ),
        client.get(f"/admin/audit/logentry/{entry.pk}/delete/"),
        client.post(f"/admin/audit/logentry/{entry.pk}/delete/", {"post": "yes"}),
        client.post(
            "/admin/audit/logentry/",
            {
                "action": "delete_selected",
                "_selected_action": [entry.pk],
                "post": "yes",
            },
        ),
    ]

    # then
    assert [r.status_code for r in responses][:5] == [403, 403, 403, 403, 403]
    assert list(LogEntry.objects.values().order_by("pk")) == before


# --- entries in words -----------------------------------------------------------------


def _rows(client):
    client.login(username="editor", password=PASSWORD)
    response = client.get(URL)
    assert response.status_code == 200
    return response.context["rows"], response.content.decode()


def test_an_entry_reads_who_what_on_what_and_the_change_in_words(
    client, editor, answer
):
    # given: the editor hid an answer
    log_action(
        answer,
        "answer.hidden",
        editor,
        {"reason": "Spam"},
        before={"status": Answer.Status.PUBLISHED},
        after={"status": Answer.Status.HIDDEN},
    )

    # when
    (row,), html = _rows(client)

    # then
    assert (row.who, row.what, row.target) == ("editor", "hid an answer", str(answer))
    assert row.url == answer.get_absolute_url()
    assert [(c.label, c.before, c.after) for c in row.changes] == [
        ("Status", "Published", "Hidden")
    ]
    assert row.details == [("Reason", "Spam")]
    assert "Status: Published → Hidden" in html
    assert f'<a href="{answer.get_absolute_url()}">' in html
    assert "{&#x27;status&#x27;" not in html
    assert "{'status'" not in html


def test_a_review_decision_reads_as_a_phrase_with_the_states_labels(
    client, editor, answer
):
    log_action(
        answer,
        "answer.review.approved",
        editor,
        {"note": ""},
        before={"review_state": Answer.Review.PENDING},
        after={"review_state": Answer.Review.PUBLISHED},
    )

    (row,), _ = _rows(client)

    assert row.what == "approved an answer"
    assert [(c.label, c.before, c.after) for c in row.changes] == [
        (
            "Review state",
            Answer.Review.PENDING.label,
            Answer.Review.PUBLISHED.label,
        )
    ]
    assert row.details == []


def test_the_system_an_unknown_code_and_a_gone_object_still_read(
    client, editor, question
):
    # given: an action by nobody, with a code the log has no phrase for, on
    # a question since removed from the database, with odd values
    log_action(
        question,
        "question.weird_new.thing",
        None,
        before={"flags": [3, 4], "is_open": True, "": None},
        after={"extra": {"nested_key": "x"}},
    )
    repr_ = str(question)
    question.delete()

    # when
    (row,), html = _rows(client)

    # then
    assert (row.who, row.what, row.target, row.url) == (
        "Askwell (automatic)",
        "question weird new thing",
        repr_,
        "",
    )
    # by key, the same on every database
    assert [(c.label, c.before, c.after) for c in row.changes] == [
        ("", "none", "—"),
        ("Extra", "—", "Nested key: x"),
        ("Flags", "3, 4", "—"),
        ("Is open", "Yes", "—"),
    ]
    assert repr_ in html


def test_secrets_stay_masked(client, editor, reporter):
    # given: an entry written around log_action, holding a secret in clear
    LogEntry.objects.create(
        actor=reporter,
        action="api_token.created",
        object_repr="token",
        before={"password": "hunter2"},
        data={"token": "aw_live_secret", "name": "laptop"},
    )

    # when
    (row,), html = _rows(client)

    # then
    assert row.what == "created an API token"
    assert "hunter2" not in html
    assert "aw_live_secret" not in html
    assert ("Token", MASK) in row.details
    assert ("Name", "laptop") in row.details


def test_every_action_the_site_logs_has_a_phrase():
    """The codes written with a literal, and those built from the moderation
    verbs and the review decisions."""
    written = set()
    for path in Path(askwell.__file__).parent.rglob("*.py"):
        if "tests" in path.parts:
            continue
        text = path.read_text()
        for call in re.finditer(r"log_action\((.{0,400}?)\)", text, re.S):
            written.update(re.findall(r'"([a-z_]+(?:\.[a-z_]+)+)"', call.group(1)))
    written.update(
        f"{kind}.{verb}"
        for kind in ("question", "answer", "comment")
        for verb in ("hidden", "deleted", "restored")
    )
    written.update(f"answer.review.{d}" for d in MedicalReview.Decision.values)
    written.update({"expert.verified", "expert.verification_withdrawn"})

    assert len(written) > 30
    assert sorted(written - set(PHRASES)) == []
