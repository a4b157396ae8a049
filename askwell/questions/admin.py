from __future__ import annotations

from django.contrib import admin

from askwell.questions.models import Answer, Question
from askwell.search import indexing


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

    # Editors' changes reach search once the admin's transaction commits.
    def save_related(self, request, form, formsets, change):  # type: ignore[no-untyped-def]
        super().save_related(request, form, formsets, change)
        indexing.schedule_questions([form.instance.pk])

    def delete_model(self, request, obj):  # type: ignore[no-untyped-def]
        answer_ids = list(obj.answers.values_list("pk", flat=True))
        super().delete_model(request, obj)
        indexing.schedule_answers(answer_ids)

    def delete_queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        answer_ids = list(
            Answer.objects.filter(question__in=queryset).values_list("pk", flat=True)
        )
        super().delete_queryset(request, queryset)
        indexing.schedule_answers(answer_ids)


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

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        super().save_model(request, obj, form, change)
        indexing.schedule_answers([obj.pk])

    def delete_model(self, request, obj):  # type: ignore[no-untyped-def]
        pk = obj.pk
        super().delete_model(request, obj)
        indexing.schedule_answers([pk])

    def delete_queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        ids = list(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        indexing.schedule_answers(ids)
