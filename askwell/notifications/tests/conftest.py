"""The cast of the notifications tests."""

from __future__ import annotations

import pytest

from askwell.accounts.tests.factories import UserFactory


@pytest.fixture
def asker():
    return UserFactory(username="asha", first_name="Asha", last_name="Rao")


@pytest.fixture
def reader():
    return UserFactory(username="ben")


@pytest.fixture
def stranger():
    return UserFactory(username="cleo")


@pytest.fixture
def inactive_user():
    return UserFactory(username="dormant", is_active=False)
