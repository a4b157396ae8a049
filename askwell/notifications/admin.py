from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from askwell.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: notifications are made by the site, not by hand."""

    list_display = ["text", "recipient", "kind", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["text", "recipient__username", "recipient__email"]
    raw_id_fields = ["recipient", "actor", "question"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return False
