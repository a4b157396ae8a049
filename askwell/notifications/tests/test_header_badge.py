"""The header's link to the inbox, with the unread count."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from askwell.notifications.context_processors import unread
from askwell.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def _header(client) -> str:
    html = client.get(reverse("home")).content.decode()
    return html.split('<div class="site-account">')[1].split("</div>")[0]


def test_the_badge_counts_unread_notifications_shown_in_the_inbox(
    client, reader, stranger
):
    # given
    NotificationFactory.create_batch(3, recipient=reader)
    NotificationFactory(recipient=reader, read_at=timezone.now())
    NotificationFactory(recipient=reader, in_app=False)
    NotificationFactory(recipient=stranger)
    client.force_login(reader)
    # when
    header = _header(client)
    # then
    assert (
        '<a class="notifications-link notifications-link--unread" '
        'href="/notifications/">Notifications (3)</a>'
    ) in header


def test_without_unread_notifications_the_link_has_no_count(client, reader):
    # given
    NotificationFactory(recipient=reader, read_at=timezone.now())
    client.force_login(reader)
    # when
    header = _header(client)
    # then
    assert (
        '<a class="notifications-link" href="/notifications/">Notifications</a>'
        in header
    )


def test_signed_out_visitors_see_no_badge_and_cost_no_query(client):
    # given
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    # when
    header = _header(client)
    # then
    assert "Notifications" not in header
    assert unread(request) == {}


def test_the_count_is_only_queried_when_shown(reader, django_assert_num_queries):
    # given
    NotificationFactory(recipient=reader)
    request = RequestFactory().get("/")
    request.user = reader
    # when
    with django_assert_num_queries(0):
        context = unread(request)
    with django_assert_num_queries(1):
        shown = str(context["unread_notifications"])
    # then
    assert shown == "1"
