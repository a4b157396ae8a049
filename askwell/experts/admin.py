from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import HttpRequest

from askwell.experts import actions as experts_actions
from askwell.experts import photos
from askwell.experts.models import (
    Book,
    Contributor,
    CredentialApplication,
    Membership,
    Video,
)

if TYPE_CHECKING:
    from askwell.accounts.models import User


def _editor(request: HttpRequest) -> User:
    """The signed-in staff member; the admin lets no one else in."""
    return cast("User", request.user)


class ContributorAdminForm(forms.ModelForm):
    """The admin's contributor form: a photo uploaded here is checked and
    re-encoded as on the profile form (photos.prepare), never stored as sent."""

    class Meta:
        model = Contributor
        # Every field, as the admin's default form has: this form changes
        # only how the photo is cleaned.
        fields = "__all__"  # noqa: DJ007
        # Not Django's ImageField, which would open the file with every
        # format Pillow has before prepare() checks its size and kind.
        field_classes = {"photo": forms.FileField}

    def clean_photo(self) -> object:
        photo = self.cleaned_data.get("photo")
        if not isinstance(photo, UploadedFile):
            return photo  # unchanged, or cleared
        prepared = photos.prepare(photo)
        return ContentFile(prepared.content, name=f"photo.{prepared.extension}")


@admin.register(Contributor)
class ContributorAdmin(admin.ModelAdmin):
    form = ContributorAdminForm
    list_display = [
        "name",
        "kind",
        "credentials",
        "specialty",
        "is_verified",
        "verified_at",
        "source",
    ]
    list_filter = ["kind", "is_verified", "source"]
    search_fields = ["name", "credentials", "specialty", "external_id"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["user"]
    date_hierarchy = "created_at"
    # Verification is an audited decision (the actions below, or an
    # application on the editors' queue), never a box on this form.
    readonly_fields = ["is_verified", "verified_at"]
    actions = ["verify", "withdraw_verification"]

    def save_model(
        self,
        request: HttpRequest,
        obj: Contributor,
        form: forms.ModelForm[Contributor],
        change: bool,
    ) -> None:
        experts_actions.save_contributor(
            _editor(request), obj, changed=form.changed_data
        )

    @admin.action(
        description="Verify the selected contributors", permissions=["change"]
    )
    def verify(self, request: HttpRequest, queryset: QuerySet[Contributor]) -> None:
        self._decide(request, queryset, experts_actions.verify_contributor)

    @admin.action(
        description="Withdraw the selected contributors' verification",
        permissions=["change"],
    )
    def withdraw_verification(
        self, request: HttpRequest, queryset: QuerySet[Contributor]
    ) -> None:
        self._decide(request, queryset, experts_actions.withdraw_verification)

    def _decide(
        self,
        request: HttpRequest,
        queryset: QuerySet[Contributor],
        decide: Callable[[User, Contributor], Contributor],
    ) -> None:
        done = 0
        for contributor in queryset:
            try:
                decide(_editor(request), contributor)
            except PermissionDenied as error:
                self.message_user(request, f"{contributor}: {error}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, f"{done} contributor(s) updated.")


@admin.register(Book)
class BookAdmin(admin.ModelAdmin):
    list_display = ["title", "published_year", "source", "external_id"]
    list_filter = ["source"]
    search_fields = ["title", "description", "external_id"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["authors"]


@admin.register(Video)
class VideoAdmin(admin.ModelAdmin):
    list_display = ["title", "presenter", "duration", "created_at", "source"]
    list_filter = ["source", "topics"]
    search_fields = ["title", "description", "transcript", "external_id"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["presenter", "topics"]


@admin.register(CredentialApplication)
class CredentialApplicationAdmin(admin.ModelAdmin):
    """Read-only: decisions go through the editors' queue, which mails the
    applicant and reindexes their answers (experts/actions.py)."""

    list_display = ["full_name", "credentials", "specialty", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["full_name", "licence_number", "applicant__username"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: CredentialApplication | None = None
    ) -> bool:
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Read-only history: memberships change on the organization's members
    page, where the invitee's consent is asked and every step audited
    (experts/actions.py)."""

    list_display = ["organization", "user", "role", "status", "joined_at", "left_at"]
    list_filter = ["status", "role"]
    list_select_related = ["organization", "user"]
    search_fields = ["organization__name", "user__username"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: Membership | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: Membership | None = None
    ) -> bool:
        return False
