from __future__ import annotations

from django.contrib import admin
from django.db import transaction

from askwell.search import indexing
from askwell.topics.models import Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "depth", "source", "external_id"]
    list_filter = ["depth", "source"]
    search_fields = ["name", "slug", "other_names", "external_id"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    readonly_fields = ["depth"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        super().save_model(request, obj, form, change)
        # Topic names and other names are part of every search document under it.
        indexing.schedule_questions(obj.questions.values_list("pk", flat=True))
        # ...and of the focus table, even for a topic with no questions yet.
        transaction.on_commit(indexing.bump_version)
