"""The inbox: the reader's notifications, newest first, unread ones marked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from askwell.notifications.models import Notification
from askwell.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db

INBOX = reverse("notifications:inbox")


def test_the_inbox_lists_the_readers_notifications_newest_first(
    client, reader, stranger
):
    # given
    now = timezone.now()
    NotificationFactory(
        recipient=reader, text="Older news", created_at=now - timedelta(days=1)
    )
    NotificationFactory(recipient=reader, text="Newer news", created_at=now)
    NotificationFactory(recipient=stranger, text="Someone else's news")
    NotificationFactory(recipient=reader, text="Email-only news", in_app=False)
    client.force_login(reader)
    # when
    response = client.get(INBOX)
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Newer news") < html.index("Older news")
    assert "Someone else&#x27;s news" not in html
    assert "Email-only news" not in html


def test_unread_notifications_are_highlighted_and_announced(client, reader):
    # given
    unread = NotificationFactory(recipient=reader, text="Unread news")
    NotificationFactory(recipient=reader, text="Read news", read_at=timezone.now())
    client.force_login(reader)
    # when
    html = client.get(INBOX).content.decode()
    # then
    assert html.count('class="notification notification--unread"') == 1
    assert (
        f'<a href="/notifications/{unread.pk}/"><span class="visually-hidden">'
        "Unread: </span>Unread news</a>"
    ) in html
    assert "Mark all as read" in html


def test_no_mark_all_button_when_everything_is_read(client, reader):
    # given
    NotificationFactory(recipient=reader, read_at=timezone.now())
    client.force_login(reader)
    # when
    html = client.get(INBOX).content.decode()
    # then
    assert "Mark all as read" not in html


def test_an_empty_inbox_says_how_to_get_news(client, reader):
    client.force_login(reader)

    html = client.get(INBOX).content.decode()

    assert "Nothing yet. Follow a topic or a question" in html


def test_the_inbox_is_paginated(client, reader, settings):
    # given
    settings.ASKWELL_PAGE_SIZE = 2
    now = timezone.now()
    for age in range(3):
        NotificationFactory(
            recipient=reader, text=f"News {age}", created_at=now - timedelta(hours=age)
        )
    client.force_login(reader)
    # when
    second_page = client.get(INBOX, {"page": 2}).content.decode()
    # then
    assert "News 2" in second_page
    assert "News 0" not in second_page
    assert "Page 2 of 2" in second_page


def test_signed_out_visitors_are_sent_to_sign_in(client, settings):
    # given
    settings.LOGIN_URL = "/accounts/login/"
    # when
    response = client.get(INBOX)
    # then
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/notifications/"


def test_mark_all_as_read(client, reader, stranger):
    # given
    NotificationFactory.create_batch(2, recipient=reader)
    theirs = NotificationFactory(recipient=stranger)
    client.force_login(reader)
    # when
    response = client.post(reverse("notifications:mark-all-read"))
    # then
    assert response.status_code == 302
    assert response["Location"] == INBOX
    assert not Notification.objects.filter(recipient=reader, read_at=None).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_as_read_needs_a_post(client, reader):
    # given
    notification = NotificationFactory(recipient=reader)
    client.force_login(reader)
    # when
    response = client.get(reverse("notifications:mark-all-read"))
    # then
    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_opening_a_notification_marks_it_read_and_goes_where_it_leads(client, reader):
    # given
    notification = NotificationFactory(recipient=reader, url="/questions/q/#answer-3")
    other = NotificationFactory(recipient=reader)
    client.force_login(reader)
    # when
    response = client.get(reverse("notifications:open", kwargs={"pk": notification.pk}))
    # then
    assert response.status_code == 302
    assert response["Location"] == "/questions/q/#answer-3"
    notification.refresh_from_db()
    other.refresh_from_db()
    assert notification.read_at is not None
    assert other.read_at is None


def test_another_readers_notification_cannot_be_opened(client, reader, stranger):
    # given
    theirs = NotificationFactory(recipient=stranger)
    client.force_login(reader)
    # when
    response = client.get(reverse("notifications:open", kwargs={"pk": theirs.pk}))
    # then
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_notification_never_leads_off_site(client, reader):
    # given
    notification = NotificationFactory(recipient=reader, url="https://evil.example/")
    client.force_login(reader)
    # when
    response = client.get(reverse("notifications:open", kwargs={"pk": notification.pk}))
    # then
    assert response["Location"] == INBOX


@pytest.mark.parametrize("count", [3, 30])
def test_inbox_query_budget_is_flat(
    client, reader, settings, django_assert_num_queries, count
):
    """1 the session, 2 the user, 3 the page count, 4 the page's
    notifications, 5 the user's groups (the header's editor menu: are they an
    editor?), 6 the contributors they sign as (the header's expert links:
    are they an expert?), 7 the header's unread count."""
    # given
    settings.ASKWELL_PAGE_SIZE = 20
    NotificationFactory.create_batch(count, recipient=reader)
    client.force_login(reader)
    # when
    with django_assert_num_queries(7):
        response = client.get(INBOX)
    # then
    assert len(response.context["page"].object_list) == min(count, 20)
