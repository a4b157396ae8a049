"""The people tests act as, defined once for every app's tests (a pytest
plugin, loaded by the root conftest.py).

- `asker`: a reader who asks (username "asker");
- `stranger`: any other signed-in reader;
- `expert`: a verified expert, Jane Doe, RN, who signs answers as herself;
- `other_expert`: a second verified expert, Sam Lee, MD (endorsements need two);
- `unverified`: an account whose contributor profile is not verified yet;
- `editor`: a member of the Editors group.

An app's conftest adds people of its own (the moderation tests' `author`,
the notifications tests' `reader`) or, where its tests need a different
person under the same name, overrides one and says why.
"""

from __future__ import annotations

import pytest

# The factories import models: they are imported inside the fixtures, once
# pytest-django has set Django up.


@pytest.fixture
def asker(db):
    """A reader who asks."""
    from askwell.accounts.tests.factories import UserFactory

    return UserFactory(username="asker")


@pytest.fixture
def stranger(db):
    """Any other signed-in reader."""
    from askwell.accounts.tests.factories import UserFactory

    return UserFactory(username="stranger")


@pytest.fixture
def expert(db):
    """A verified expert, Jane Doe, RN, who signs answers as herself."""
    return _verified_expert("drjane", name="Jane Doe", credentials="RN")


@pytest.fixture
def other_expert(db):
    """A second verified expert, Sam Lee, MD."""
    return _verified_expert("drsam", name="Sam Lee", credentials="MD")


@pytest.fixture
def unverified(db):
    """An account whose contributor profile is not verified yet."""
    from askwell.accounts.tests.factories import UserFactory
    from askwell.experts.tests.factories import ContributorFactory

    user = UserFactory(username="hopeful")
    ContributorFactory(user=user, is_verified=False, verified_at=None)
    return user


@pytest.fixture
def editor(db):
    """A member of the Editors group."""
    from askwell.accounts.tests.factories import EditorFactory

    return EditorFactory(username="editor")


def _verified_expert(username: str, *, name: str, credentials: str):
    from askwell.accounts.tests.factories import UserFactory
    from askwell.experts.tests.factories import ContributorFactory

    user = UserFactory(username=username)
    ContributorFactory(user=user, name=name, credentials=credentials)
    return user
