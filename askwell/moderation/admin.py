from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from askwell.moderation.models import Flag


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    """Read-only: flags are handled in the flag queue, whose actions audit
    every change and tell authors."""

    list_display = ["created_at", "reason", "status", "reporter", "__str__"]
    list_filter = ["status", "reason"]
    list_select_related = ["reporter"]
    raw_id_fields = ["reporter", "question", "answer", "comment", "resolved_by"]

    def has_add_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return False
