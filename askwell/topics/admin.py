from __future__ import annotations

from django.contrib import admin

from askwell.topics.models import Topic
from askwell.topics.signals import topic_changed


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
        # Search documents and topic phrases follow (search/receivers.py).
        topic_changed.send(sender=Topic, topic=obj)
