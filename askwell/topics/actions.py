"""Every write to topics: one function per action.

Each writes inside one transaction and sends topic_changed (signals.py),
which search follows: a topic's names are part of every search document
filed under it. The admin and the importer call these, never save rows
themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from askwell.topics.models import Topic
from askwell.topics.signals import topic_changed

if TYPE_CHECKING:
    from askwell.accounts.models import User


def save_topic(editor: User, topic: Topic) -> Topic:
    """Add or change `topic` as the admin's form filled it in.

    Its depth, and its subtree's when it moved, follow its parent
    (Topic.save). The admin has checked the editor's model permissions.
    """
    with transaction.atomic():
        topic.save()
        topic_changed.send(sender=Topic, topic_ids=[topic.pk])
    return topic
