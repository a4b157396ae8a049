from __future__ import annotations

from dataclasses import dataclass

from django import forms

from askwell.notifications.models import Kind, Preference


@dataclass(frozen=True)
class KindRow:
    label: str
    in_app: forms.BoundField
    email: forms.BoundField


class PreferenceForm(forms.ModelForm):  # type: ignore[type-arg]  # Django's class is not generic at run time
    class Meta:
        model = Preference
        fields = Preference.field_names()
        widgets = {"email_frequency": forms.RadioSelect}

    def kind_rows(self) -> list[KindRow]:
        """One row per kind for the preferences table: in-app and email side by side."""
        return [
            KindRow(
                label=kind.label,
                in_app=self[f"{kind.value}_in_app"],
                email=self[f"{kind.value}_email"],
            )
            for kind in Kind
        ]
