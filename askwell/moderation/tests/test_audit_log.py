"""Admins browse the audit log at /moderation/audit/ and in the Django admin;
nothing on either can add, change or delete an entry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from askwell.accounts.tests.factories import PASSWORD
from askwell.audit import log_action
from askwell.audit.models import LogEntry
from askwell.questions.models import Answer

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


@pytest.mark.parametrize("n", [3, 30])
def test_the_log_query_count_is_flat(
    client, admin_user, editor, question, django_assert_num_queries, n
):
    """1 the session, 2 the admin, 3 the entry count, 4 the header's unread
    notifications, 5 the page of entries with actors and types, 6 the
    object types for the filter."""
    for _ in range(n):
        log_action(question, "question.hidden", editor)
    client.login(username="admin", password=PASSWORD)

    with django_assert_num_queries(6):
        response = client.get(URL)

    assert len(_shown(response)) == n


def test_editors_and_readers_cannot_read_the_log(client, editor, reporter):
    assert client.get(URL).status_code == 302
    for user in (editor, reporter):
        client.login(username=user.username, password=PASSWORD)
        assert client.get(URL).status_code == 403


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
