from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from askwell.moderation.models import Target, kind_of
from askwell.moderation.permissions import can_moderate
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


@register.inclusion_tag("moderation/_editor_menu.html", takes_context=True)
def editor_menu(context: dict[str, Any]) -> dict[str, Any]:
    """The header's editor menu: shown to editors only, the review queues
    only to those who may review (`review.review_answer`, as the review
    pages require). No query for signed-out visitors, superusers or a page
    rendered without a user (the 500 page); one (the user's groups) for
    other readers, none more on a page that already asked whether they are
    an editor; two for an editor's permissions."""
    user = context.get("user")
    request = context.get("request")
    show = user is not None and can_moderate(user)
    return {
        "show": show,
        "can_review": user is not None
        and show
        and user.has_perm("review.review_answer"),
        "path": request.path if request is not None else "",
    }
