"""Demo sign-ins, one per role, so every flow can be tried on the demo site.

The passwords are public (printed by `askwell demo` and listed in the
README): these accounts exist only in the demo database.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from askwell.accounts import roles
from askwell.experts.actions import accept_invitation, invite_member
from askwell.experts.models import Contributor, Membership
from askwell.moderation.models import Flag
from askwell.questions.models import Answer, Endorsement, HelpfulMark
from askwell.review.actions import ensure_reviewers_group


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    contributor: str = ""  # slug of the contributor profile it posts as
    member_of: str = ""  # slug of an organization it posts for
    editor: bool = False


ACCOUNTS = [
    DemoAccount(
        "reader", "askwell-demo-reader", "reader: asks, marks helpful, follows"
    ),
    DemoAccount(
        "drokafor",
        "askwell-demo-expert",
        "verified expert (Dr. Samuel Okafor, MD, neurology)",
        contributor="samuel-okafor",
    ),
    DemoAccount(
        "nursedelgado",
        "askwell-demo-expert",
        "verified expert (Maria Delgado, RN, BSN)",
        contributor="maria-delgado",
    ),
    DemoAccount(
        "northfield",
        "askwell-demo-org",
        "administrator of an organization (Northfield Multiple Sclerosis Society)",
        member_of="northfield-ms-society",
    ),
    DemoAccount(
        "drwhitaker",
        "askwell-demo-applicant",
        "expert not yet verified (Paul Whitaker, MD)",
        contributor="paul-whitaker",
    ),
    DemoAccount(
        "editor",
        "askwell-demo-editor",
        "editor and medical reviewer: verifies experts, reviews answers, restores revisions",
        editor=True,
    ),
]
# A few signals so the demo shows endorsements and helpful counts.
ENDORSEMENTS = [
    (
        "maria-delgado",
        "can-plasmapheresis-help-treat-multiple-sclerosis-ms",
        "samuel-okafor",
        "Matches what we see on the infusion unit: it is for severe relapses only.",
    ),
]
HELPFUL = [
    ("reader", "can-plasmapheresis-help-treat-multiple-sclerosis-ms", "samuel-okafor")
]
# Open reports, so the editors' flag queue (/moderation/flags/) has work.
FLAGS = [
    (
        "reader",
        "can-vertebral-artery-surgery-help-multiple-sclerosis",
        "northfield-ms-society",
        "harmful",
        "Does this still recommend the surgery? I read it was debunked.",
    ),
    (
        "nursedelgado",
        "do-alternative-therapies-help-multiple-sclerosis",
        "lena-fischer",
        "other",
        "The supplement dose here looks high for older patients.",
    ),
]


@transaction.atomic
def ensure_demo_accounts() -> list[DemoAccount]:
    """Create the demo accounts that are missing; returns the ones created."""
    users = get_user_model().objects
    created = []
    editors, _ = Group.objects.get_or_create(name=roles.EDITORS)
    for account in ACCOUNTS:
        if users.filter(username=account.username).exists():
            continue
        user = users.create_user(
            account.username, f"{account.username}@askwell.invalid", account.password
        )
        if account.editor:
            user.groups.add(editors, ensure_reviewers_group())
        if account.contributor:
            Contributor.objects.filter(slug=account.contributor, user=None).update(
                user=user
            )
        created.append(account)
    _ensure_memberships(created)
    _ensure_signals()
    return created


def _ensure_memberships(created: list[DemoAccount]) -> None:
    """The demo editor invites each new organization account as the
    organization's administrator, and the account accepts: the same two
    steps, audit entries and mail as on the site."""
    users = get_user_model().objects
    editor = users.get(username=next(a.username for a in ACCOUNTS if a.editor))
    for account in created:
        if not account.member_of:
            continue
        user = users.get(username=account.username)
        invitation = invite_member(
            editor,
            Contributor.objects.get(slug=account.member_of),
            user,
            role=Membership.Role.ADMIN,
        )
        accept_invitation(user, invitation)


def _ensure_signals() -> None:
    for by, question, of, reason in ENDORSEMENTS:
        answer = Answer.objects.filter(
            question__slug=question, contributor__slug=of
        ).first()
        endorser = Contributor.objects.filter(slug=by).first()
        if answer and endorser:
            Endorsement.objects.get_or_create(
                answer=answer,
                contributor=endorser,
                defaults={
                    "kind": Endorsement.Kind.ENDORSE,
                    "reason": reason,
                    "user": endorser.user,
                },
            )
    users = get_user_model().objects
    for username, question, of in HELPFUL:
        answer = Answer.objects.filter(
            question__slug=question, contributor__slug=of
        ).first()
        user = users.filter(username=username).first()
        if answer and user:
            HelpfulMark.objects.get_or_create(answer=answer, user=user)
    for username, question, of, reason, text in FLAGS:
        answer = Answer.objects.filter(
            question__slug=question, contributor__slug=of
        ).first()
        user = users.filter(username=username).first()
        if answer and user:
            Flag.objects.get_or_create(
                reporter=user,
                answer=answer,
                status=Flag.Status.OPEN,
                defaults={"reason": reason, "text": text},
            )
