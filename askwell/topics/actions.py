"""Every write to topics: one function per action.

Each writes inside one transaction and sends topic_changed (signals.py),
which search follows: a topic's names are part of every search document
filed under it. The admin and the importer call these, never save rows
themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction

from askwell.core.importing import Imported, ImportRow, Slugs, upsert
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


def import_topics_batch(rows: Sequence[ImportRow], *, slugs: Slugs) -> list[Imported]:
    """Create or update a batch of topics from an import (core.importing).

    Each row's parent (`parent_id`) exists already: the importer writes a
    batch parents first. Depths follow the parents, and the subtree of a
    topic that moved follows it. Sends topic_changed for the topics created
    or changed.
    """
    with transaction.atomic():
        parents = {row.values["parent_id"] for row in rows if row.values["parent_id"]}
        depths = dict(Topic.objects.filter(pk__in=parents).values_list("pk", "depth"))
        for row in rows:
            parent = row.values["parent_id"]
            row.values["depth"] = 0 if parent is None else depths[parent] + 1
        imported = upsert(Topic, rows, slugs=slugs, slug_from="name")
        moved = [i.pk for i in imported if "depth" in i.changed]
        for topic in Topic.objects.filter(pk__in=moved):
            topic.refresh_descendant_depths()
        touched = [i.pk for i in imported if i.touched]
        if touched:
            topic_changed.send(sender=Topic, topic_ids=touched)
    return imported
