"""Migration 0005: members of before invitations existed become accepted
memberships, the earliest of each organization its administrator."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("experts", "0003_credentialapplication")]
AFTER = [("experts", "0006_remove_contributor_members")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest():
    """Leave the database fully migrated for the tests that follow."""
    yield
    executor = MigrationExecutor(connection)
    _migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_latest")
def test_existing_members_become_accepted_memberships():
    # given: two members of one organization, added in this order
    old = _migrate(BEFORE)
    Contributor = old.get_model("experts", "Contributor")
    User = old.get_model("accounts", "User")
    now = timezone.now()
    organization = Contributor.objects.create(
        kind="organization",
        name="Heart Society",
        slug="heart-society",
        created_at=now - timedelta(days=100),
    )
    first = User.objects.create(
        username="first",
        email="first@example.org",
        date_joined=now - timedelta(days=200),
    )
    second = User.objects.create(
        username="second",
        email="second@example.org",
        date_joined=now - timedelta(days=10),
    )
    organization.members.add(first)
    organization.members.add(second)

    # when
    new = _migrate(AFTER)

    # then: both post as it; the first administers it; each is taken to
    # have belonged from the earliest moment it could have
    Membership = new.get_model("experts", "Membership")
    rows = Membership.objects.order_by("user__username")
    assert [(m.user.username, m.role, m.status) for m in rows] == [
        ("first", "admin", "active"),
        ("second", "member", "active"),
    ]
    assert [m.joined_at for m in rows] == [
        organization.created_at,
        second.date_joined,
    ]
    assert [m.left_at for m in rows] == [None, None]
