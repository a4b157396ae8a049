from __future__ import annotations

import factory

from askwell.experts.tests.factories import ContributorFactory
from askwell.questions.models import Answer, Question


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"What helps with symptom number {n}?")
    slug = factory.Sequence(lambda n: f"what-helps-{n}")
    question_type = "treatment"
    status = Question.Status.ANSWERED

    @factory.post_generation
    def topics(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.topics.set(extracted)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    question = factory.SubFactory(QuestionFactory)
    contributor = factory.SubFactory(ContributorFactory)
    body = factory.Sequence(lambda n: f"Answer number {n}. **Rest** helps most people.")
    status = Answer.Status.PUBLISHED
