"""The people of the notifications tests, besides every app's
(askwell/testing/people.py: stranger, expert, editor...).

- asker: overrides the shared one. Notifications show an asker's full name,
  and the anonymity tests look for it in every text: this asker has one,
  Asha Rao, and a username, "asha", that no notification text holds by chance
  (the shared asker's "asker" is a word those texts use);
- reader: a reader who follows things;
- inactive_user: an account that is switched off.
"""

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
def inactive_user():
    return UserFactory(username="dormant", is_active=False)
