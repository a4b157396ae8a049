"""Every change to contributors, expert verification and organization
membership.

Each function checks permission through `permissions.py`, writes inside one
transaction and mails the people concerned after the commit. A change that
search ranks or shows sends contributor_changed (signals.py).
"""

from __future__ import annotations

import secrets
from collections.abc import Collection, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from askwell.accounts.mail import absolute, send_after_commit
from askwell.accounts.models import User
from askwell.audit import log_action
from askwell.core.importing import Imported, ImportRow, Slugs, upsert
from askwell.experts.models import (
    Book,
    Contributor,
    CredentialApplication,
    Membership,
    Video,
)
from askwell.experts.permissions import (
    check_can_answer_invitation,
    check_can_apply_for_verification,
    check_can_decide_application,
    check_can_edit_profile,
    check_can_manage_members,
    check_can_verify_contributor,
)
from askwell.experts.photos import Photo
from askwell.experts.signals import contributor_changed


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

    Search reindexes their answers after the commit (it ranks verified
    contributors higher): contributor_changed.
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
        contributor_changed.send(sender=Contributor, contributor=contributor)
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


# --- contributors in the admin ------------------------------------------------------
#
# Verification is decided on an application (above) or, for a contributor
# with no account (an organization, an imported author), by an editor in
# the admin: never by ticking a box on the contributor's form.

# What search ranks or shows of a contributor's answers.
SEARCHED_FIELDS = frozenset({"kind", "name", "credentials", "specialty"})


def save_contributor(
    editor: User, contributor: Contributor, *, changed: Collection[str]
) -> Contributor:
    """Add or change `contributor` as the admin's form filled it in
    (`changed`: the form's changed fields; verification is not among them).

    The admin has checked the editor's model permissions. A change to what
    search ranks or shows (a rename, new credentials) is audited and sends
    contributor_changed.
    """
    with transaction.atomic():
        contributor.save()
        searched = sorted(SEARCHED_FIELDS & set(changed))
        if searched:
            log_action(
                contributor,
                "contributor.changed",
                editor,
                {"fields": searched},
                after={name: getattr(contributor, name) for name in searched},
            )
            contributor_changed.send(sender=Contributor, contributor=contributor)
    return contributor


def verify_contributor(editor: User, contributor: Contributor) -> Contributor:
    """Verify `contributor` without an application (an organization, an
    imported author); verifying twice changes nothing."""
    return _set_verified(editor, contributor, True, "expert.verified")


def withdraw_verification(editor: User, contributor: Contributor) -> Contributor:
    """Take `contributor`'s verification away: their answers no longer rank
    as a verified expert's, and they can no longer answer as one."""
    return _set_verified(editor, contributor, False, "expert.verification_withdrawn")


def _set_verified(
    editor: User, contributor: Contributor, verified: bool, action: str
) -> Contributor:
    check_can_verify_contributor(editor, contributor)
    with transaction.atomic():
        contributor = Contributor.objects.select_for_update().get(pk=contributor.pk)
        if contributor.is_verified == verified:
            return contributor
        contributor.is_verified = verified
        contributor.verified_at = timezone.now() if verified else None
        contributor.save(update_fields=["is_verified", "verified_at", "updated_at"])
        log_action(
            contributor,
            action,
            editor,
            {"via": "admin"},
            before={"is_verified": not verified},
            after={"is_verified": verified},
        )
        contributor_changed.send(sender=Contributor, contributor=contributor)
    return contributor


# --- a contributor's own profile ---------------------------------------------------


def change_profile(
    actor: User,
    contributor: Contributor,
    *,
    bio: str,
    photo: Photo | None = None,
    remove_photo: bool = False,
) -> Contributor:
    """Set `contributor`'s bio (Markdown) and photo, by the person it
    belongs to or, for an organization, an administrator or editor.

    `photo` replaces the current one, `remove_photo` takes it away; a
    Photo is only ever made by photos.prepare(), so nothing stored here is
    a file as it was sent. The new photo is written to storage at once (a
    rolled-back change leaves it unreferenced); the one it replaces is
    deleted after the commit. Audited with the fields that changed.
    """
    check_can_edit_profile(actor, contributor)
    with transaction.atomic():
        contributor = Contributor.objects.select_for_update().get(pk=contributor.pk)
        old_photo = contributor.photo.name
        changed = []
        bio = bio.strip()
        if bio != contributor.bio:
            contributor.bio = bio
            changed.append("bio")
        if photo is not None:
            name = f"{contributor.slug[:60]}-{secrets.token_hex(4)}.{photo.extension}"
            contributor.photo.save(name, ContentFile(photo.content), save=False)
            changed.append("photo")
        elif remove_photo and old_photo:
            contributor.photo.name = ""
            changed.append("photo")
        if not changed:
            return contributor
        contributor.save(update_fields=[*changed, "updated_at"])
        log_action(
            contributor, "contributor.profile_changed", actor, {"fields": changed}
        )
        if "photo" in changed and old_photo:
            _delete_after_commit(contributor, old_photo)
    return contributor


def _delete_after_commit(contributor: Contributor, name: str) -> None:
    storage = contributor.photo.storage
    transaction.on_commit(lambda: storage.delete(name))


def attach_account(contributor: Contributor, user: User) -> bool:
    """Let `user` sign as `contributor`, a profile no account has yet: an
    operator's step (the demo gives its expert sign-ins their profiles),
    audited. Returns False, changing nothing, when an account has it."""
    with transaction.atomic():
        attached = bool(
            Contributor.objects.filter(pk=contributor.pk, user=None).update(user=user)
        )
        if attached:
            log_action(
                contributor, "contributor.account_attached", None, {"user": user.pk}
            )
    return attached


# --- imports ----------------------------------------------------------------------


def import_contributors_batch(
    rows: Sequence[ImportRow], *, slugs: Slugs
) -> list[Imported]:
    """Create or update a batch of contributors from an import (core.importing).

    A verified row without a `verified_at` keeps the date the contributor
    was verified, or is verified as of now (new, or newly verified); a new
    or changed bio is rendered (Contributor.render_bio). Sends
    contributor_changed for each existing contributor whose verification or
    searched fields changed (a new one has no answers yet).
    """
    for row in rows:
        if row.values.get("is_verified") and row.values.get("verified_at") is None:
            row.values.pop("verified_at", None)
    with transaction.atomic():
        imported = upsert(
            Contributor,
            rows,
            slugs=slugs,
            slug_from="name",
            derive=_derive,
        )
        changed = [
            i.pk for i in imported if i.changed & (SEARCHED_FIELDS | {"is_verified"})
        ]
        for contributor in Contributor.objects.filter(pk__in=changed):
            contributor_changed.send(sender=Contributor, contributor=contributor)
    return imported


def _derive(contributor: Contributor, changed: set[str]) -> set[str]:
    """What an import's bulk write would miss from save(): a contributor
    verified without a date is verified as of now, and a new bio is
    rendered. Returns the fields it set."""
    derived = contributor.render_bio() if "bio" in changed else set()
    if contributor.is_verified and contributor.verified_at is None:
        contributor.verified_at = timezone.now()
        derived.add("verified_at")
    return derived


def import_books_batch(rows: Sequence[ImportRow], *, slugs: Slugs) -> list[Imported]:
    """Create or update a batch of books, with their authors (`relations`)."""
    with transaction.atomic():
        return upsert(Book, rows, slugs=slugs, slug_from="title")


def import_videos_batch(rows: Sequence[ImportRow], *, slugs: Slugs) -> list[Imported]:
    """Create or update a batch of videos, with their topics (`relations`)."""
    with transaction.atomic():
        return upsert(Video, rows, slugs=slugs, slug_from="title")


# --- organization membership ---------------------------------------------------------
#
# Membership takes two people: an administrator of the organization (or an
# editor) invites, and the invitee accepts. Rows are never deleted: each
# change sets the status and is audited, so who was a member when stays known.


def _open_membership(organization: Contributor, user: User) -> Membership | None:
    """The invitation or running membership of `user`, locked for the change.
    Call inside a transaction."""
    return (
        Membership.objects.select_for_update()
        .open()
        .filter(organization=organization, user=user)
        .first()
    )


def _lock(membership: Membership, status: str) -> Membership:
    """`membership`, locked and still in `status`: two clicks, or an
    invitee and an administrator acting at once, must not both win.
    Call inside a transaction."""
    locked = (
        Membership.objects.select_for_update()
        .select_related("organization", "user")
        .get(pk=membership.pk)
    )
    if locked.status != status:
        raise ValidationError(
            "This invitation or membership has changed: it is now %(status)s.",
            code="changed",
            params={"status": locked.get_status_display().lower()},
        )
    return locked


def invite_member(
    actor: User,
    organization: Contributor,
    user: User,
    *,
    role: str = Membership.Role.MEMBER,
    base_url: str = "",
) -> Membership:
    """Invite `user` to post as `organization`; they may once they accept.

    An administrator of the organization or an editor invites, never
    themselves: a second person always agrees to a membership.
    """
    check_can_manage_members(actor, organization)
    if role not in Membership.Role.values:
        raise ValidationError("Choose member or administrator.", code="invalid_role")
    username = user.get_username()
    if user.pk == actor.pk:
        raise ValidationError(
            "You cannot invite yourself: ask an administrator of %(organization)s "
            "or an editor to invite you.",
            code="self_invite",
            params={"organization": organization.name},
        )
    if not user.is_active:
        raise ValidationError(
            "%(username)s has not verified their account yet.",
            code="inactive",
            params={"username": username},
        )
    try:
        with transaction.atomic():
            existing = _open_membership(organization, user)
            if existing is not None:
                raise ValidationError(
                    "%(username)s is already a member."
                    if existing.status == Membership.Status.ACTIVE
                    else "%(username)s is already invited.",
                    code="already_member"
                    if existing.status == Membership.Status.ACTIVE
                    else "already_invited",
                    params={"username": username},
                )
            membership = Membership.objects.create(
                organization=organization,
                user=user,
                role=role,
                status=Membership.Status.INVITED,
                invited_by=actor,
            )
            log_action(
                organization,
                "organization.member_invited",
                actor,
                {"member": username, "role": role},
            )
            send_after_commit(
                user.email,
                "experts/email/member_invited",
                {
                    "organization": organization,
                    "actor": actor,
                    "member": user,
                    "membership": membership,
                    "invitations_url": absolute(
                        base_url, reverse("experts:invitations")
                    )
                    if base_url
                    else "",
                },
            )
    except IntegrityError:
        # A second invitation raced the first past the check above.
        raise ValidationError(
            "%(username)s is already invited.",
            code="already_invited",
            params={"username": username},
        ) from None
    return membership


def accept_invitation(user: User, membership: Membership) -> Membership:
    """Join the organization: from now on `user` may post as it."""
    check_can_answer_invitation(user, membership)
    with transaction.atomic():
        membership = _lock(membership, Membership.Status.INVITED)
        membership.status = Membership.Status.ACTIVE
        membership.joined_at = timezone.now()
        membership.save(update_fields=["status", "joined_at", "updated_at"])
        log_action(
            membership.organization,
            "organization.invitation_accepted",
            user,
            {"member": user.get_username(), "role": membership.role},
        )
    return membership


def decline_invitation(user: User, membership: Membership) -> Membership:
    check_can_answer_invitation(user, membership)
    with transaction.atomic():
        membership = _lock(membership, Membership.Status.INVITED)
        membership.status = Membership.Status.DECLINED
        membership.save(update_fields=["status", "updated_at"])
        log_action(
            membership.organization,
            "organization.invitation_declined",
            user,
            {"member": user.get_username()},
        )
    return membership


def withdraw_invitation(
    actor: User, organization: Contributor, user: User
) -> Membership:
    """Take back an invitation `user` has not answered yet."""
    check_can_manage_members(actor, organization)
    with transaction.atomic():
        membership = _open_membership(organization, user)
        if membership is None or membership.status != Membership.Status.INVITED:
            raise ValidationError(
                "%(username)s has no invitation waiting.",
                code="not_invited",
                params={"username": user.get_username()},
            )
        membership.status = Membership.Status.WITHDRAWN
        membership.save(update_fields=["status", "updated_at"])
        log_action(
            organization,
            "organization.invitation_withdrawn",
            actor,
            {"member": user.get_username()},
        )
    return membership


def _end(membership: Membership) -> None:
    membership.status = Membership.Status.ENDED
    membership.left_at = timezone.now()
    membership.save(update_fields=["status", "left_at", "updated_at"])


def remove_member(actor: User, organization: Contributor, user: User) -> Membership:
    """Stop `user` posting as `organization`; their past answers stay signed by it."""
    check_can_manage_members(actor, organization)
    with transaction.atomic():
        membership = _open_membership(organization, user)
        if membership is None or membership.status != Membership.Status.ACTIVE:
            raise ValidationError(
                "%(username)s is not a member.",
                code="not_member",
                params={"username": user.get_username()},
            )
        _end(membership)
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
    return membership


def leave_organization(user: User, organization: Contributor) -> Membership:
    """Stop posting as `organization`, by the member's own choice."""
    with transaction.atomic():
        membership = _open_membership(organization, user)
        if membership is None or membership.status != Membership.Status.ACTIVE:
            raise PermissionDenied(f"You are not a member of {organization.name}.")
        _end(membership)
        log_action(
            organization,
            "organization.member_left",
            user,
            {"member": user.get_username()},
        )
    return membership


def end_memberships_of(user: User) -> int:
    """End every membership and decline every invitation of `user` (their
    account is being deleted); returns how many memberships ended. The rows
    stay, as history."""
    with transaction.atomic():
        now = timezone.now()
        ended = (
            Membership.objects.active()
            .filter(user=user)
            .update(status=Membership.Status.ENDED, left_at=now, updated_at=now)
        )
        Membership.objects.invited().filter(user=user).update(
            status=Membership.Status.DECLINED, updated_at=now
        )
    return ended
