from __future__ import annotations

from dataclasses import dataclass

from django import forms

from askwell.notifications.models import IN_APP_ONLY, Kind, Preference


@dataclass(frozen=True)
class KindRow:
    label: str
    in_app: forms.BoundField
    # None for a kind its sender always mails (IN_APP_ONLY), which says so.
    email: forms.BoundField | None
    always_emailed: str = ""


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
                email=None if kind in IN_APP_ONLY else self[f"{kind.value}_email"],
                always_emailed=IN_APP_ONLY.get(kind, ""),
            )
            for kind in Kind
        ]
