from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from askwell.experts.models import (
    Book,
    Contributor,
    CredentialApplication,
    Membership,
    Video,
)


@admin.register(Contributor)
class ContributorAdmin(admin.ModelAdmin):
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
