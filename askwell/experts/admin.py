from __future__ import annotations

from django.contrib import admin

from askwell.experts.models import Book, Contributor, Video


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
