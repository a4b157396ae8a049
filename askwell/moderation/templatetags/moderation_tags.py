from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from askwell.moderation.models import Target, kind_of
from askwell.moderation.queries import QuestionModeration, question_moderation

register = template.Library()


@register.simple_tag
def flag_url(target: Target) -> str:
    """Where a reader reports `target` (no query)."""
    return reverse("moderation:flag", kwargs={"kind": kind_of(target), "pk": target.pk})


@register.filter
def kind(target: Target) -> str:
    return kind_of(target)


@register.simple_tag(takes_context=True)
def moderation_of(context: dict[str, Any], question: Any) -> QuestionModeration:
    """The question page's banners and editor controls for the person viewing."""
    return question_moderation(context["user"], question)
