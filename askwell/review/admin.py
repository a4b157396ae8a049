from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from askwell.review.models import MedicalReview


@admin.register(MedicalReview)
class MedicalReviewAdmin(admin.ModelAdmin):
    """Review decisions are history: made on the review pages, read here."""

    list_display = ["answer", "decision", "reviewer", "created_at"]
    list_filter = ["decision"]
    list_select_related = ["answer__question", "reviewer"]
    search_fields = ["note", "answer__question__title"]
    readonly_fields = [f.name for f in MedicalReview._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return False
