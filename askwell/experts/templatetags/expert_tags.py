"""What experts adds to other apps' pages.

`{% expert_account as expert %}`: the account page's sections about being a
verified expert, organizations and expert applications
(templates/experts/_account_sections.html, included by the account page,
which accounts owns and which cannot read experts' tables).

`{% answers_as_expert as expert %}`: whether the person viewing answers as
a verified expert, for the header's links to their expert pages
(templates/accounts/_header_account.html).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import template

from askwell.experts.models import Contributor, CredentialApplication, Membership
from askwell.experts.permissions import can_review_applications
from askwell.experts.roles import is_expert

if TYPE_CHECKING:
    from django.db.models import QuerySet

register = template.Library()


@dataclass
class ExpertAccount:
    """One person's standing as an expert, for their account page."""

    application: CredentialApplication | None
    contributor: Contributor | None
    organizations: QuerySet[Contributor]
    invitations_waiting: int
    can_review_applications: bool
    pending_applications: int


@register.simple_tag(takes_context=True)
def expert_account(context: dict[str, Any]) -> ExpertAccount:
    user = context["user"]
    reviews = can_review_applications(user)
    return ExpertAccount(
        application=CredentialApplication.objects.latest_for(user),
        contributor=getattr(user, "contributor", None),
        organizations=Contributor.objects.filter(
            memberships__user=user, memberships__status=Membership.Status.ACTIVE
        ).order_by("name"),
        invitations_waiting=Membership.objects.invited().filter(user=user).count(),
        can_review_applications=reviews,
        pending_applications=(
            CredentialApplication.objects.pending().count() if reviews else 0
        ),
    )


@register.simple_tag(takes_context=True)
def answers_as_expert(context: dict[str, Any]) -> bool:
    """roles.is_expert for the person viewing: one query per request, none
    on a page that asked already or without a user (the 500 page)."""
    user = context.get("user")
    return user is not None and is_expert(user)
