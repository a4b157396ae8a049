"""Marking notifications read: all, or some, and only one's own."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from askwell.notifications import actions
from askwell.notifications.models import Notification
from askwell.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def test_mark_read_without_ids_marks_every_unread_notification(reader):
    # given
    NotificationFactory.create_batch(2, recipient=reader)
    # when
    changed = actions.mark_read(reader)
    # then
    assert changed == 2
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_mark_read_with_ids_marks_only_those(reader):
    # given
    chosen, left = NotificationFactory.create_batch(2, recipient=reader)
    # when
    changed = actions.mark_read(reader, [chosen.pk])
    # then
    assert changed == 1
    chosen.refresh_from_db()
    left.refresh_from_db()
    assert chosen.read_at is not None
    assert left.read_at is None


def test_mark_read_keeps_the_first_read_time(reader):
    # given
    earlier = timezone.now() - timedelta(days=2)
    notification = NotificationFactory(recipient=reader, read_at=earlier)
    # when
    changed = actions.mark_read(reader, [notification.pk])
    # then
    assert changed == 0
    notification.refresh_from_db()
    assert notification.read_at == earlier


def test_mark_read_ignores_other_readers_notifications(reader, stranger):
    # given
    theirs = NotificationFactory(recipient=stranger)
    # when
    changed = actions.mark_read(reader, [theirs.pk])
    actions.mark_read(reader)
    # then
    assert changed == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("who", ["anonymous", "inactive"])
def test_mark_read_needs_a_reader(who, inactive_user):
    # given
    notification = NotificationFactory(recipient=inactive_user)
    user = AnonymousUser() if who == "anonymous" else inactive_user
    # when
    with pytest.raises(PermissionDenied):
        actions.mark_read(user)
    # then
    notification.refresh_from_db()
    assert notification.read_at is None
