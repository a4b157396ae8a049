"""The cast of the notifications tests."""

from __future__ import annotations

import pytest

from askwell.accounts.tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """UserFactory sets a password; argon2 makes that ~0.2 s a user. These
    tests sign in with force_login and never check a password."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
