from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import Resolver404, resolve

from askwell.core.forms import TextField, model_choice
from askwell.lib import limits
from askwell.moderation.actions import DELETE_CONFIRMATION, REASON_MAX
from askwell.moderation.models import TARGET_KINDS, Flag
from askwell.questions.models import Question


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        choices=Flag.Reason.choices,
        widget=forms.RadioSelect,
        label="What is wrong with it?",
    )
    text = TextField(
        required=False,
        max_length=limits.FLAG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Anything the editors should know",
        help_text="Required for “something else”. Editors read it; the author does not.",
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("reason") == Flag.Reason.OTHER and not data.get("text", "").strip():
            self.add_error(
                "text",
                ValidationError(
                    "Tell the editors in a few words what is wrong.",
                    code="text_required",
                ),
            )
        return data


class FlagFilterForm(forms.Form):
    reason = forms.ChoiceField(
        choices=[("", "Any reason"), *Flag.Reason.choices], required=False
    )
    kind = forms.ChoiceField(
        choices=[("", "Questions, answers and comments")]
        + [(k, f"{k.capitalize()}s only") for k in TARGET_KINDS],
        required=False,
        label="Flagged",
    )


class ReasonForm(forms.Form):
    """The reason an editor gives for hiding, deleting or restoring."""

    reason = TextField(
        max_length=REASON_MAX,
        label="Reason",
        help_text="The author and the audit log see it.",
    )


class DuplicateForm(forms.Form):
    original = TextField(
        max_length=500,
        label="The original question",
        help_text="Paste its address (or just its slug, the last part of the address).",
    )
    reason = TextField(max_length=REASON_MAX, required=False)

    def clean_original(self) -> Question:
        value = self.cleaned_data["original"].strip()
        slug = value
        if "/" in value:
            try:
                match = resolve(urlsplit(value).path)
            except Resolver404:
                match = None
            if (
                match is None
                or match.url_name != "detail"
                or match.namespace != ("questions")
            ):
                raise ValidationError(
                    "That is not the address of a question.", code="not_a_question"
                )
            slug = match.kwargs["slug"]
        question = Question.objects.visible().filter(slug=slug).first()
        if question is None:
            raise ValidationError(
                "No question readers can see has that address.", code="not_found"
            )
        return question


class _ObjectTypeField(forms.ModelChoiceField):  # type: ignore[type-arg]  # Django's class is not generic at run time
    def label_from_instance(self, obj: ContentType) -> str:
        return f"{obj.app_label}.{obj.model}"


class AuditFilterForm(forms.Form):
    action = TextField(
        required=False,
        max_length=64,
        help_text="A code such as answer.hidden, or its start: answer.",
    )
    actor = TextField(required=False, max_length=150, label="Who (username)")
    object_type = _ObjectTypeField(
        queryset=ContentType.objects.none(),
        required=False,
        empty_label="Any kind of object",
    )
    since = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="From"
    )
    until = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="To"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from askwell.audit.models import LogEntry

        used = LogEntry.objects.exclude(content_type=None).values("content_type")
        model_choice(self, "object_type").queryset = ContentType.objects.filter(
            pk__in=used
        ).order_by("app_label", "model")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error(
                "until",
                ValidationError("Choose a date after the start.", code="order"),
            )
        return data


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        label="Your password",
    )
    confirmation = TextField(
        max_length=100,
        label=f"Type “{DELETE_CONFIRMATION}”",
        help_text="This cannot be undone.",
    )
