"""Search's background jobs read the content as it is when they run: run
twice, they write the same documents; run after the answer was hidden,
they remove its document."""

from __future__ import annotations

import pytest

from askwell.questions.models import Answer
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory
from askwell.search import tasks
from askwell.search.models import SearchDocument
from askwell.topics.tests.factories import TopicFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("lexical_only")]


def test_indexing_twice_writes_the_same_document():
    # given
    answer = AnswerFactory(body="Colchicine eases most gout flares.")
    tasks.index_content.call([], [answer.pk])
    before = list(SearchDocument.objects.values())
    # when
    tasks.index_content.call([], [answer.pk])
    # then
    assert list(SearchDocument.objects.values()) == before
    assert len(before) == 1


def test_a_job_that_runs_after_the_answer_was_hidden_removes_its_document():
    # given
    answer = AnswerFactory()
    tasks.index_content.call([], [answer.pk])
    # when: hidden before the job of that change runs
    Answer.objects.filter(pk=answer.pk).update(status=Answer.Status.HIDDEN)
    tasks.index_content.call([answer.question_id], [])
    # then
    assert not SearchDocument.objects.exists()


def test_a_topic_job_rewrites_the_documents_filed_under_it():
    # given
    topic = TopicFactory(name="Gout")
    question = QuestionFactory()
    question.topics.add(topic)
    AnswerFactory(question=question)
    tasks.index_content.call([question.pk], [])
    topic.name = "Gout and pseudogout"
    topic.save(update_fields=["name"])
    # when
    tasks.index_topics.call([topic.pk])
    # then
    assert SearchDocument.objects.get().topics == "Gout and pseudogout"
