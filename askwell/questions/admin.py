from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from askwell.questions import actions
from askwell.questions.models import (
    Answer,
    Comment,
    Endorsement,
    HelpfulMark,
    Question,
    Revision,
)


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
    autocomplete_fields = ["source_book"]
    # Who signs an answer is fixed once it exists; new answers are added on
    # the answer's own admin page, which asks for the contributor.
    readonly_fields = ["contributor"]
    show_change_link = True

    def has_add_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return False


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

    # The admin fills in the rows; the actions save them, keep a revision of
    # every version and tell search (search/receivers.py follows
    # content_changed once the admin's transaction commits).
    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]  # ModelAdmin's hook, untyped in the stubs' base; request.user is staff
        actions.save_question(
            request.user,
            obj,
            topics=form.cleaned_data["topics"],
            changed=form.changed_data,
            created=not change,
        )

    def save_related(self, request, form, formsets, change):  # type: ignore[no-untyped-def]  # ModelAdmin's hook, untyped in the stubs' base; request.user is staff
        # The question and its topics are saved (save_model); the inline
        # answers are filled in here and saved one by one by the actions.
        for formset in formsets:
            formset.save(commit=False)
            for answer in formset.new_objects:
                actions.save_answer(request.user, answer, changed=[], created=True)
            for answer, changed in formset.changed_objects:
                actions.save_answer(request.user, answer, changed=changed)
            actions.delete_answers(request.user, formset.deleted_objects)

    def delete_model(self, request, obj):  # type: ignore[no-untyped-def]  # ModelAdmin's hook, untyped in the stubs' base; request.user is staff
        actions.delete_questions(request.user, [obj])

    def delete_queryset(self, request, queryset):  # type: ignore[no-untyped-def]  # ModelAdmin's hook, untyped in the stubs' base; request.user is staff
        actions.delete_questions(request.user, queryset)


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
    # Medical review is decided on the review pages, which check that the
    # reviewer had no hand in the answer and audit the decision; an edit of
    # the words here sends the answer back there (actions.record_edit).
    readonly_fields = [
        "body_html",
        "review_state",
        "reviewed_by",
        "reviewed_at",
        "draft",
        "first_published_at",
    ]

    def get_readonly_fields(
        self, request: HttpRequest, obj: Model | None = None
    ) -> list[str]:
        """Who signs an answer is fixed once it exists: changing it would
        put one contributor's name on another's words."""
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "contributor", "author"] if obj is not None else fields

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]  # ModelAdmin's hook, untyped in the stubs' base; request.user is staff
        actions.save_answer(
            request.user, obj, changed=form.changed_data, created=not change
        )

    def delete_model(self, request, obj):  # type: ignore[no-untyped-def]  # ModelAdmin's hook, untyped in the stubs' base; request.user is staff
        actions.delete_answers(request.user, [obj])

    def delete_queryset(self, request, queryset):  # type: ignore[no-untyped-def]  # ModelAdmin's hook, untyped in the stubs' base; request.user is staff
        actions.delete_answers(request.user, queryset)


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    """Revisions are history: readable here, never edited or deleted."""

    list_display = ["question", "answer", "number", "author", "reason", "created_at"]
    list_select_related = ["question", "answer", "author"]
    search_fields = ["question__title", "reason"]
    readonly_fields = [f.name for f in Revision._meta.fields]

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


@admin.register(Endorsement)
class EndorsementAdmin(admin.ModelAdmin):
    list_display = ["answer", "contributor", "kind", "reason", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["answer__question", "contributor"]
    raw_id_fields = ["answer", "contributor", "user"]


@admin.register(HelpfulMark)
class HelpfulMarkAdmin(admin.ModelAdmin):
    list_display = ["answer", "user", "created_at"]
    list_select_related = ["answer__question", "user"]
    raw_id_fields = ["answer", "user"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["answer", "author", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["answer__question", "author"]
    search_fields = ["body"]
    raw_id_fields = ["answer", "author"]
    readonly_fields = ["body_html"]
