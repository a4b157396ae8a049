"""Demo sign-ins, one per role, so every flow can be tried on the demo site.

The passwords are public (printed by `askwell demo` and listed in the
README): these accounts exist only in the demo database.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify

from askwell.accounts.actions import create_account, ensure_editors_group
from askwell.experts.actions import (
    accept_invitation,
    apply_for_verification,
    attach_account,
    invite_member,
    save_contributor,
)
from askwell.experts.models import Contributor, CredentialApplication, Membership
from askwell.moderation.actions import flag_content
from askwell.moderation.models import Flag
from askwell.questions.actions import endorse_answer, mark_helpful
from askwell.questions.models import Answer, Endorsement
from askwell.review.actions import ensure_reviewers_group


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    contributor: str = ""  # slug of the contributor profile it posts as
    member_of: str = ""  # slug of an organization it posts for
    editor: bool = False
    # An editor's own profile (name, credentials): readers see who reviewed
    # an answer by it, and a reviewer needs one to review.
    reviewer_profile: tuple[str, str] = ("", "")


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
        reviewer_profile=("Dr. Erin Walsh", "MD, MPH"),
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
# An application waiting for an editor (/experts/applications/), sent once.
APPLICATIONS = [
    (
        "drwhitaker",
        {
            "full_name": "Paul Whitaker",
            "credentials": "MD",
            "degree": "Doctor of Medicine",
            "licence_number": "DEMO-48213",
            "licence_issuer": "Demo State Medical Board",
            "specialty": "Internal medicine",
            "evidence_url": "https://example.org/demo/licence-lookup/48213",
        },
    )
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
    """Create the demo accounts that are missing; returns the ones created.

    Everything goes through the actions, as on the site: accounts,
    profiles, memberships, endorsements, helpful marks and reports."""
    users = get_user_model().objects
    created = []
    for account in ACCOUNTS:
        if users.filter(username=account.username).exists():
            continue
        user = create_account(
            username=account.username,
            email=f"{account.username}@askwell.invalid",
            password=account.password,
            groups=[ensure_editors_group(), ensure_reviewers_group()]
            if account.editor
            else [],
        )
        if account.contributor:
            profile = Contributor.objects.filter(slug=account.contributor).first()
            if profile is not None:
                attach_account(profile, user)
        name, credentials = account.reviewer_profile
        if name and not hasattr(user, "contributor"):
            save_contributor(
                user,
                Contributor(
                    name=name,
                    credentials=credentials,
                    slug=f"{account.username}-{slugify(name)}",
                    user=user,
                ),
                changed=["name", "credentials"],
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


def _answer(question: str, contributor: str) -> Answer | None:
    return Answer.objects.filter(
        question__slug=question, contributor__slug=contributor
    ).first()


def _ensure_signals() -> None:
    """The endorsements, helpful marks, application and reports above, each
    made once."""
    users = get_user_model().objects
    for by, question, of, reason in ENDORSEMENTS:
        answer = _answer(question, of)
        endorser = Contributor.objects.filter(slug=by).select_related("user").first()
        if answer is None or endorser is None or endorser.user is None:
            continue
        if not Endorsement.objects.filter(answer=answer, contributor=endorser).exists():
            endorse_answer(
                endorser.user,
                answer,
                contributor=endorser,
                kind=Endorsement.Kind.ENDORSE,
                reason=reason,
            )
    for username, question, of in HELPFUL:
        answer = _answer(question, of)
        user = users.filter(username=username).first()
        if answer and user:
            mark_helpful(user, answer)
    for username, details in APPLICATIONS:
        user = users.filter(username=username).first()
        if user and not CredentialApplication.objects.filter(applicant=user).exists():
            apply_for_verification(user, **details)
    for username, question, of, reason, text in FLAGS:
        answer = _answer(question, of)
        user = users.filter(username=username).first()
        if answer is None or user is None:
            continue
        if not Flag.objects.open().filter(reporter=user, answer=answer).exists():
            flag_content(user, answer, reason=reason, text=text)
