"""Every change to expert verification and organization membership.

Each function checks permission through `permissions.py`, writes inside one
transaction and mails the people concerned after the commit.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from askwell.accounts.mail import absolute, send_after_commit
from askwell.accounts.models import User
from askwell.audit import log_action
from askwell.experts.models import Contributor, CredentialApplication
from askwell.experts.permissions import (
    check_can_apply_for_verification,
    check_can_decide_application,
    check_can_manage_members,
)
from askwell.search.indexing import schedule_answers


def _already_pending() -> ValidationError:
    return ValidationError(
        "You already have an application waiting for an editor.", code="pending"
    )


def apply_for_verification(
    user: User,
    *,
    full_name: str,
    credentials: str,
    degree: str,
    licence_number: str,
    licence_issuer: str,
    specialty: str,
    evidence_url: str,
) -> CredentialApplication:
    check_can_apply_for_verification(user)
    if CredentialApplication.objects.pending().filter(applicant=user).exists():
        raise _already_pending()
    try:
        with transaction.atomic():
            return CredentialApplication.objects.create(
                applicant=user,
                full_name=full_name.strip(),
                credentials=credentials.strip(),
                degree=degree.strip(),
                licence_number=licence_number.strip(),
                licence_issuer=licence_issuer.strip(),
                specialty=specialty.strip(),
                evidence_url=evidence_url.strip(),
            )
    except IntegrityError:
        # A second submission raced the first past the check above.
        raise _already_pending() from None


def _lock_pending(application: CredentialApplication) -> CredentialApplication:
    """The application, locked for the decision; two editors deciding at once
    must not both win. Call inside a transaction."""
    locked = (
        CredentialApplication.objects.select_for_update()
        .select_related("applicant")
        .get(pk=application.pk)
    )
    if not locked.is_pending:
        raise ValidationError(
            "This application was already %(status)s.",
            code="decided",
            params={"status": locked.get_status_display().lower()},
        )
    return locked


def _unique_slug(name: str) -> str:
    base = slugify(name)[:200] or "expert"
    slug, n = base, 1
    while Contributor.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def approve_application(
    editor: User, application: CredentialApplication, *, base_url: str = ""
) -> CredentialApplication:
    """Verify the applicant's person contributor, creating it on first approval.

    Their answers are reindexed after the commit, because search ranks
    verified contributors higher.
    """
    check_can_decide_application(editor, application)
    with transaction.atomic():
        application = _lock_pending(application)
        applicant = application.applicant
        now = timezone.now()
        contributor = Contributor.objects.filter(user=applicant).first()
        if contributor is None:
            contributor = Contributor.objects.create(
                kind=Contributor.Kind.PERSON,
                user=applicant,
                name=application.full_name,
                slug=_unique_slug(application.full_name),
                credentials=application.credentials,
                specialty=application.specialty,
                is_verified=True,
                verified_at=now,
            )
        else:
            contributor.name = application.full_name
            contributor.credentials = application.credentials
            contributor.specialty = application.specialty
            contributor.is_verified = True
            contributor.verified_at = now
            contributor.save(
                update_fields=[
                    "name",
                    "credentials",
                    "specialty",
                    "is_verified",
                    "verified_at",
                    "updated_at",
                ]
            )
        application.status = CredentialApplication.Status.APPROVED
        application.decided_by = editor
        application.decided_at = now
        application.contributor = contributor
        application.save(
            update_fields=[
                "status",
                "decided_by",
                "decided_at",
                "contributor",
                "updated_at",
            ]
        )
        send_after_commit(
            applicant.email,
            "experts/email/application_approved",
            {
                "application": application,
                "profile_url": absolute(base_url, contributor.get_absolute_url())
                if base_url
                else "",
            },
        )
        schedule_answers(contributor.answers.values_list("pk", flat=True))
        log_action(
            contributor,
            "expert.verified",
            editor,
            {"application": application.pk, "credentials": application.credentials},
            after={"is_verified": True},
        )
    return application


def reject_application(
    editor: User,
    application: CredentialApplication,
    *,
    reason: str,
    base_url: str = "",
) -> CredentialApplication:
    check_can_decide_application(editor, application)
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            "Give the applicant a reason for the rejection.", code="reason_required"
        )
    with transaction.atomic():
        application = _lock_pending(application)
        application.status = CredentialApplication.Status.REJECTED
        application.reason = reason
        application.decided_by = editor
        application.decided_at = timezone.now()
        application.save(
            update_fields=["status", "reason", "decided_by", "decided_at", "updated_at"]
        )
        send_after_commit(
            application.applicant.email,
            "experts/email/application_rejected",
            {
                "application": application,
                "apply_url": absolute(base_url, reverse("experts:apply"))
                if base_url
                else "",
            },
        )
        log_action(
            application, "expert.application_rejected", editor, {"reason": reason}
        )
    return application


def add_member(actor: User, organization: Contributor, user: User) -> None:
    """Let `user` post as `organization`."""
    check_can_manage_members(actor, organization)
    if not user.is_active:
        raise ValidationError(
            "%(username)s has not verified their account yet.",
            code="inactive",
            params={"username": user.get_username()},
        )
    with transaction.atomic():
        if organization.members.filter(pk=user.pk).exists():
            raise ValidationError(
                "%(username)s is already a member.",
                code="already_member",
                params={"username": user.get_username()},
            )
        organization.members.add(user)
        log_action(
            organization,
            "organization.member_added",
            actor,
            {"member": user.get_username()},
        )
        send_after_commit(
            user.email,
            "experts/email/member_added",
            {"organization": organization, "actor": actor, "member": user},
        )


def remove_member(actor: User, organization: Contributor, user: User) -> None:
    """Stop `user` posting as `organization`; their past answers stay signed by it."""
    check_can_manage_members(actor, organization)
    with transaction.atomic():
        if not organization.members.filter(pk=user.pk).exists():
            raise ValidationError(
                "%(username)s is not a member.",
                code="not_member",
                params={"username": user.get_username()},
            )
        organization.members.remove(user)
        log_action(
            organization,
            "organization.member_removed",
            actor,
            {"member": user.get_username()},
        )
        send_after_commit(
            user.email,
            "experts/email/member_removed",
            {"organization": organization, "actor": actor, "member": user},
        )
