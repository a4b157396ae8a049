"""Questions and answers edited in the admin: the actions save them, so the
history, the medical review and search follow as they do on the site."""

from __future__ import annotations

import pytest
from django.urls import reverse

from askwell.questions.models import Answer, Question, Revision
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory
from askwell.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


def _change_form(admin_client, url):
    """The change page's data as the browser would post it back unchanged,
    inline answers included."""
    context = admin_client.get(url).context
    form = context["adminform"].form
    data = {}
    for field in form:
        value = field.value()
        if isinstance(value, list):
            data[field.html_name] = [str(v) for v in value]
        else:
            data[field.html_name] = "" if value is None else value
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        for field in formset.management_form:
            data[field.html_name] = field.value()
        for inline_form in formset.forms:
            for field in inline_form:
                value = field.value()
                data[field.html_name] = "" if value is None else value
    return data


def test_an_admin_edit_of_a_question_and_its_answer_keeps_both_histories(
    admin_client, admin_user, django_capture_on_commit_callbacks, monkeypatch
):
    # given
    question = QuestionFactory(title="Does rest help a sprain?")
    answer = AnswerFactory(question=question, body="Rest, ice and elevation help.")
    topic = TopicFactory(name="Sprains")
    indexed: list[list[int]] = []
    monkeypatch.setattr(
        "askwell.search.indexing.index_questions",
        lambda ids, embed=True: indexed.append(sorted(ids)),
    )
    monkeypatch.setattr(
        "askwell.search.indexing.index_answers",
        lambda ids, embed=True: indexed.append(sorted(ids)),
    )
    url = reverse("admin:questions_question_change", args=[question.pk])
    data = _change_form(admin_client, url)
    data["title"] = "Does rest help a sprained ankle heal?"
    data["topics"] = [str(topic.pk)]
    data["answers-0-body"] = "Rest, ice, compression and elevation help."

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)

    # then
    assert response.status_code == 302
    question_revision = Revision.objects.get(question=question, answer=None)
    assert (
        question_revision.author,
        question_revision.reason,
        question_revision.title,
        question_revision.extra,
    ) == (
        admin_user,
        "Edited in the admin",
        "Does rest help a sprained ankle heal?",
        {"topics": [topic.pk]},
    )
    answer_revision = Revision.objects.get(answer=answer)
    assert (answer_revision.body, answer_revision.by_signer) == (
        "Rest, ice, compression and elevation help.",
        False,
    )
    answer.refresh_from_db()
    assert answer.review_state == Answer.Review.PENDING
    assert indexed == [[question.pk], [answer.pk]]


def test_deleting_a_question_in_the_admin_takes_its_answers_out_of_search(
    admin_client, django_capture_on_commit_callbacks, monkeypatch
):
    # given
    answer = AnswerFactory()
    question = answer.question
    indexed: list[list[int]] = []
    monkeypatch.setattr(
        "askwell.search.indexing.index_answers",
        lambda ids, embed=True: indexed.append(sorted(ids)),
    )
    url = reverse("admin:questions_question_delete", args=[question.pk])

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"post": "yes"})

    # then
    assert response.status_code == 302
    assert not Question.objects.filter(pk=question.pk).exists()
    assert not Answer.objects.filter(pk=answer.pk).exists()
    assert indexed == [[answer.pk]]
