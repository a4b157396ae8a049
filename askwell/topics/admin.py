from __future__ import annotations

from django.contrib import admin

from askwell.topics import actions
from askwell.topics.models import Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "depth", "source", "external_id"]
    list_filter = ["depth", "source"]
    search_fields = ["name", "slug", "other_names", "external_id"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    readonly_fields = ["depth"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]  # ModelAdmin's hook, untyped in the stubs' base; request.user is staff
        # Search documents and topic phrases follow (actions.save_topic).
        actions.save_topic(request.user, obj)
