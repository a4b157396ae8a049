"""The question the question tests start from.

The people they act as (asker, stranger, expert, other_expert, unverified,
editor) are every app's: askwell/testing/people.py.
"""

from __future__ import annotations

import pytest

from askwell.questions.tests.factories import QuestionFactory


@pytest.fixture
def open_question(asker):
    question = QuestionFactory(
        title="Can plasma exchange help multiple sclerosis?",
        slug="can-plasma-exchange-help-ms",
        status="open",
        asker=asker,
    )
    return question
