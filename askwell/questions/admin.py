from __future__ import annotations

from django.contrib import admin

from askwell.questions.models import Answer, Question


class AnswerInline(admin.StackedInline):
    model = Answer
    extra = 0
    fields = [
        "contributor",
        "status",
        "stance",
        "body",
        "source_book",
        "source_url",
        "source",
        "external_id",
    ]
    autocomplete_fields = ["contributor", "source_book"]
    show_change_link = True


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "question_type",
        "status",
        "view_count",
        "created_at",
        "source",
        "external_id",
    ]
    list_filter = ["status", "question_type", "source", "topics"]
    search_fields = ["title", "details", "external_id"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["topics"]
    raw_id_fields = ["asker"]
    date_hierarchy = "created_at"
    inlines = [AnswerInline]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = [
        "question",
        "contributor",
        "status",
        "stance",
        "created_at",
        "source",
        "external_id",
    ]
    list_filter = ["status", "stance", "source", "contributor__kind"]
    search_fields = ["body", "question__title", "contributor__name", "external_id"]
    autocomplete_fields = ["question", "contributor", "source_book"]
    list_select_related = ["question", "contributor"]
    date_hierarchy = "created_at"
    readonly_fields = ["body_html"]
