from __future__ import annotations

from django import forms

from askwell.core.forms import TextField
from askwell.lib import limits
from askwell.review.models import MedicalReview


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=MedicalReview.Decision.choices,
        widget=forms.RadioSelect,
        label="Decision",
    )
    note = TextField(
        required=False,
        max_length=limits.REVIEW_NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Note to the author",
        help_text="Required when you request changes or reject: say what and why.",
    )


class QueueFilterForm(forms.Form):
    topic = forms.SlugField(required=False)
    specialty = TextField(required=False, max_length=120)
