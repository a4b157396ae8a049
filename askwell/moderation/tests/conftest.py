"""The cast of the moderation tests.

- author: a reader who asked `question` and commented on `answer`;
- expert: the verified person who wrote `answer`;
- reporter: a reader who reports things;
- editor: a member of the Editors group;
- admin: a superuser.
"""

from __future__ import annotations

import pytest

from askwell.accounts.tests.factories import UserFactory
from askwell.moderation.tests.factories import CommentFactory
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory


@pytest.fixture
def author(db):
    return UserFactory(username="author")


@pytest.fixture
def reporter(db):
    return UserFactory(username="reporter")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


@pytest.fixture
def question(author):
    return QuestionFactory(
        title="Does rest help a sprained ankle heal?",
        slug="does-rest-help-a-sprained-ankle",
        asker=author,
    )


@pytest.fixture
def answer(question, expert):
    return AnswerFactory(
        question=question,
        contributor=expert.contributor,
        author=expert,
        body="Rest for two days, then move it gently.",
    )


@pytest.fixture
def comment(answer, author):
    return CommentFactory(answer=answer, author=author, body="How long is gently?")
