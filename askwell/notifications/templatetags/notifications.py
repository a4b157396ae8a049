"""State for the follow and save buttons that topic and question pages include."""

from __future__ import annotations

from django import template

from askwell.notifications.models import (
    QuestionState,
    follows_topic,
    question_state,
)
from askwell.questions.models import Question
from askwell.topics.models import Topic

register = template.Library()


@register.simple_tag(takes_context=True)
def question_actions_state(
    context: template.Context, question: Question
) -> QuestionState:
    """One query for a signed-in reader, none for a visitor."""
    return question_state(context["request"].user, question)


@register.simple_tag(takes_context=True)
def topic_followed(context: template.Context, topic: Topic) -> bool:
    """One query for a signed-in reader, none for a visitor."""
    return follows_topic(context["request"].user, topic)
