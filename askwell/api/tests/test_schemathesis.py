"""schemathesis against the live OpenAPI document over real HTTP: for every
operation, generated requests (valid ones, then invalid ones) get no server
error, only documented status codes, and bodies that match the schema.

Bounded in time: a fixed number of examples per operation and mode,
derandomized so a run is repeatable; writes carry an expert's token, so
they reach the actions instead of stopping at 401.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from askwell.accounts.actions import create_api_token
from askwell.accounts.tests.factories import UserFactory
from askwell.experts.tests.factories import (
    BookFactory,
    ContributorFactory,
    VideoFactory,
)
from askwell.moderation.tests.factories import CommentFactory
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory
from askwell.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES = {
    schemathesis.GenerationMode.POSITIVE: 15,
    schemathesis.GenerationMode.NEGATIVE: 8,
}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _content() -> None:
    """A little of everything, with small ids the generator can hit."""
    topic = TopicFactory(name="Multiple sclerosis")
    TopicFactory(name="MS treatment", parent=topic)
    for n in range(3):
        question = QuestionFactory(topics=[topic], asker=UserFactory())
        answer = AnswerFactory(question=question)
        CommentFactory(answer=answer)
        if n == 0:
            answer.references.create(url="https://example.org/ms")
    book = BookFactory()
    book.authors.add(ContributorFactory())
    VideoFactory(topics=[topic])


def test_every_operation_keeps_to_its_schema(live_server):
    # given
    _content()
    expert = UserFactory(username="drfuzz")
    ContributorFactory(user=expert, name="Fuzz Expert")
    token = create_api_token(expert, name="schemathesis")[1]
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    checked = []

    # when / then
    for operation in operations:
        for mode, examples in EXAMPLES.items():

            @settings(
                max_examples=examples,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def exercise(case):
                response = case.call(
                    base_url=live_server.url,
                    headers={"Authorization": f"Bearer {token}"},
                    timeout=30,
                )
                case.validate_response(response, checks=CHECKS)

            exercise()
            checked.append(f"{operation.method.upper()} {operation.path} {mode.value}")

    assert len(operations) == 19
    assert len(checked) == 2 * len(operations)
