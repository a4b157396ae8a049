"""The cast of people the question tests act as (askwell's STYLE: Alice, Bob...).

- asker: a reader who asks;
- expert: a verified person contributor's account;
- other_expert: a second verified expert (endorsements need two);
- unverified: an account whose contributor profile is not verified yet;
- editor: a member of the Editors group;
- stranger: any other signed-in reader.
"""

from __future__ import annotations

import pytest

from askwell.accounts.tests.factories import UserFactory
from askwell.experts.tests.factories import ContributorFactory
from askwell.questions.tests.factories import QuestionFactory


@pytest.fixture
def asker(db):
    return UserFactory(username="asker")


@pytest.fixture
def stranger(db):
    return UserFactory(username="stranger")


@pytest.fixture
def other_expert(db):
    user = UserFactory(username="drsam")
    ContributorFactory(user=user, name="Sam Lee", credentials="MD")
    return user


@pytest.fixture
def unverified(db):
    user = UserFactory(username="hopeful")
    ContributorFactory(user=user, is_verified=False, verified_at=None)
    return user


@pytest.fixture
def open_question(asker):
    question = QuestionFactory(
        title="Can plasma exchange help multiple sclerosis?",
        slug="can-plasma-exchange-help-ms",
        status="open",
        asker=asker,
    )
    return question
