from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from askwell.experts.tests.factories import ContributorFactory, OrganizationFactory
from askwell.questions.models import Answer, Question, summarize_stances
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def test_answer_body_is_rendered_and_sanitised_on_save():
    answer = AnswerFactory(
        body="**Rest.** <script>alert(1)</script> [x](javascript:alert(1))"
    )

    assert answer.body_html.startswith("<p><strong>Rest.</strong> &lt;script&gt;")
    assert "<script" not in answer.body_html
    assert "javascript:" not in answer.body_html.replace("[x](javascript:alert(1))", "")
    assert 'href="javascript' not in answer.body_html


def test_update_fields_on_body_also_saves_the_html():
    answer = AnswerFactory(body="old")

    answer.body = "*new*"
    answer.save(update_fields=["body"])

    assert Answer.objects.get(pk=answer.pk).body_html == "<p><em>new</em></p>\n"


def test_question_details_are_rendered_on_save():
    question = QuestionFactory(details="My mother is *72*.")

    assert question.details_html == "<p>My mother is <em>72</em>.</p>\n"


def test_display_order_is_verified_people_then_organizations_then_others_newest_first():
    question = QuestionFactory()
    unverified = AnswerFactory(
        question=question, contributor=ContributorFactory(is_verified=False)
    )
    org_old = AnswerFactory(question=question, contributor=OrganizationFactory())
    org_new = AnswerFactory(question=question, contributor=OrganizationFactory())
    expert = AnswerFactory(question=question, contributor=ContributorFactory())

    ordered = list(question.answers.ordered_for_display())

    assert ordered == [expert, org_new, org_old, unverified]


@pytest.mark.parametrize(
    ("stances", "summary"),
    [
        ([], ""),
        (["supports", "supports"], ""),
        (["supports", "", ""], ""),
        (["supports", "against"], "Experts differ: 1 supportive, 1 sceptical"),
        (
            ["against", "mixed", "supports", "supports"],
            "Experts differ: 2 supportive, 1 mixed, 1 sceptical",
        ),
        (["neutral", "mixed"], "Experts differ: 1 mixed, 1 neutral"),
    ],
)
def test_summarize_stances(stances, summary):
    answers = [Answer(stance=s) for s in stances]

    assert summarize_stances(answers) == summary


def test_external_ids_are_unique_per_source():
    QuestionFactory(source="medquad", external_id="0000001")
    QuestionFactory(source="other", external_id="0000001")

    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionFactory(source="medquad", external_id="0000001")
    assert Question.objects.filter(external_id="0000001").count() == 2


def test_site_made_records_get_distinct_external_ids():
    first, second = QuestionFactory(), QuestionFactory()

    assert first.source == second.source == ""
    assert len(first.external_id) == 32
    assert first.external_id != second.external_id


def test_signature_joins_name_and_credentials():
    assert (
        ContributorFactory.build(name="Jane Doe", credentials="RN").signature
        == "Jane Doe, RN"
    )
    assert (
        OrganizationFactory.build(name="Lakeside Society").signature
        == "Lakeside Society"
    )
