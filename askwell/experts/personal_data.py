"""Experts' part of a person's data (askwell/accounts/personal_data.py): their
expert profile, memberships and applications, and what their account
deletion does to them. Registered in ExpertsConfig.ready()."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from django.db import transaction

from askwell.accounts.personal_data import when
from askwell.experts.actions import end_memberships_of
from askwell.experts.models import Contributor, CredentialApplication, Membership

if TYPE_CHECKING:
    from askwell.accounts.models import User


def export(user: User) -> dict[str, Any]:
    contributor = Contributor.objects.filter(user=user).first()
    return {
        "expert_profile": None
        if contributor is None
        else {
            "name": contributor.name,
            "credentials": contributor.credentials,
            "specialty": contributor.specialty,
            "bio": contributor.bio,
            # The stored photo (256 × 256, without metadata), as a link to it.
            "photo_url": contributor.photo.url if contributor.photo else None,
            "website": contributor.website,
            "verified": contributor.is_verified,
            "url": contributor.get_absolute_url(),
        },
        "organizations": sorted(
            Contributor.objects.filter(
                memberships__user=user, memberships__status=Membership.Status.ACTIVE
            ).values_list("name", flat=True)
        ),
        "memberships": [
            {
                "organization": m.organization.name,
                "role": m.role,
                "status": m.status,
                "invited_at": when(m.created_at),
                "joined_at": when(m.joined_at),
                "left_at": when(m.left_at),
            }
            for m in Membership.objects.filter(user=user)
            .select_related("organization")
            .order_by("created_at", "pk")
        ],
        "expert_applications": [
            {
                "full_name": a.full_name,
                "credentials": a.credentials,
                "degree": a.degree,
                "licence_number": a.licence_number,
                "licence_issuer": a.licence_issuer,
                "specialty": a.specialty,
                "evidence_url": a.evidence_url,
                "status": a.status,
                "reason": a.reason,
                "created_at": when(a.created_at),
            }
            for a in CredentialApplication.objects.filter(applicant=user).order_by(
                "created_at", "pk"
            )
        ],
    }


def erase(user: User) -> dict[str, int]:
    """A signed profile stays under its professional name, unlinked, without
    its photo (deleted from storage after the commit); applications go;
    memberships end and stay as history."""
    return {
        "photos_deleted": _delete_photos(user),
        "profiles_unlinked": Contributor.objects.filter(user=user).update(user=None),
        "applications_deleted": CredentialApplication.objects.filter(
            applicant=user
        ).delete()[0],
        # Ended, not deleted: medical review still needs to know who belonged
        # to an organization when its answers were written.
        "organizations_left": end_memberships_of(user),
    }


def _delete_photos(user: User) -> int:
    """Empty the photo of `user`'s profile; the file goes once the erasure
    is committed (a rolled-back erasure keeps it)."""
    deleted = 0
    for contributor in Contributor.objects.filter(user=user).exclude(photo=""):
        Contributor.objects.filter(pk=contributor.pk).update(photo="")
        transaction.on_commit(
            partial(contributor.photo.storage.delete, str(contributor.photo.name))
        )
        deleted += 1
    return deleted
