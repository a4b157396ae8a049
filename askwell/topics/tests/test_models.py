from __future__ import annotations

import pytest

from askwell.topics.models import Topic
from askwell.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


def test_depth_follows_the_parent():
    root = TopicFactory()
    child = TopicFactory(parent=root)
    grandchild = TopicFactory(parent=child)

    assert [root.depth, child.depth, grandchild.depth] == [0, 1, 2]


def test_moving_a_topic_moves_its_subtree():
    root, other_root = TopicFactory(), TopicFactory()
    deep = TopicFactory(parent=TopicFactory(parent=root))
    child = TopicFactory(parent=other_root)
    grandchild = TopicFactory(parent=child)

    child.parent = deep
    child.save()

    assert Topic.objects.get(pk=child.pk).depth == 3
    assert Topic.objects.get(pk=grandchild.pk).depth == 4


def test_path_runs_from_the_root():
    root = TopicFactory(name="Heart")
    child = TopicFactory(name="Heart Attack", parent=root)
    leaf = TopicFactory(name="Recovery", parent=child)

    assert [t.name for t in leaf.path()] == ["Heart", "Heart Attack", "Recovery"]
    assert leaf.ancestors() == [root, child]
    assert root.ancestors() == []


def test_descendant_ids_cover_every_level():
    root = TopicFactory()
    child = TopicFactory(parent=root)
    grandchild = TopicFactory(parent=child)
    TopicFactory()  # unrelated

    assert sorted(root.descendant_ids()) == sorted([root.pk, child.pk, grandchild.pk])
    assert child.descendant_ids() == [child.pk, grandchild.pk]
