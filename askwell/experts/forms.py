from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from askwell.accounts.models import User
from askwell.core.forms import TextField, WebAddressField
from askwell.experts import photos
from askwell.experts.models import CredentialApplication, Membership
from askwell.lib import limits


class ApplicationForm(forms.ModelForm):  # type: ignore[type-arg]  # Django's class is not generic at run time
    class Meta:
        model = CredentialApplication
        fields = [
            "full_name",
            "credentials",
            "degree",
            "licence_number",
            "licence_issuer",
            "specialty",
            "evidence_url",
        ]
        labels = {
            "full_name": "Full name",
            "credentials": "Credentials shown after your name",
            "licence_number": "Licence number",
            "licence_issuer": "Issuing body",
            "evidence_url": "Link to evidence",
        }
        # Each keeps its model field's limit, with the site's message.
        field_classes = {
            **dict.fromkeys(
                [
                    "full_name",
                    "credentials",
                    "degree",
                    "licence_number",
                    "licence_issuer",
                    "specialty",
                ],
                TextField,
            ),
            "evidence_url": WebAddressField,
        }
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "evidence_url": forms.URLInput(attrs={"placeholder": "https://"}),
        }

    def clean_evidence_url(self) -> str:
        url: str = self.cleaned_data["evidence_url"]
        if not url.lower().startswith(("https://", "http://")):
            raise ValidationError(
                "Give a web address starting with https://.", code="not_web"
            )
        return url


class RejectForm(forms.Form):
    reason = TextField(
        label="Reason for rejecting",
        max_length=limits.REJECTION_REASON,
        help_text="The applicant receives this by email: say what would make a "
        "new application succeed.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the applicant a reason for the rejection."},
    )


class InvitationForm(forms.Form):
    username = TextField(
        label="Username",
        max_length=150,
        help_text="The Askwell username of the person to invite. They can post "
        "as the organization once they accept.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        label="Role",
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
        widget=forms.RadioSelect,
        help_text="Administrators also invite and remove members.",
    )

    def clean_username(self) -> User:
        """The account itself, not just its name."""
        username: str = self.cleaned_data["username"].strip()
        member = User.objects.filter(username=username).first()
        if member is None:
            raise ValidationError(
                "No account has the username %(username)s.",
                code="unknown_user",
                params={"username": username},
            )
        return member


class ProfileForm(forms.Form):
    """A contributor's bio and photo (an organization's description and
    logo). The photo is checked and re-encoded here (photos.prepare), so a
    bad file is named in the form, with the bio as typed kept beside it."""

    bio = TextField(
        label="Bio",
        required=False,
        max_length=limits.BIO,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="A few lines about your work, shown on your profile. You can "
        "use Markdown: *italics*, **bold**, [a link](https://…).",
    )
    photo = forms.FileField(
        label="New photo",
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=f"Choose {photos.LIMITS_IN_WORDS}. It is shown as a "
        f"{photos.SIZE} × {photos.SIZE} pixel square. Where, when and with what "
        "it was taken is removed from the file.",
    )
    remove_photo = forms.BooleanField(
        label="Remove the current photo (your initials show instead)",
        required=False,
    )

    def __init__(self, *args: Any, organization: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organization:
            self.fields["bio"].label = "Description"
            self.fields["bio"].help_text = (
                "What the organization does, shown on its profile. You can use "
                "Markdown: *italics*, **bold**, [a link](https://…)."
            )
            self.fields["photo"].label = "New logo"
            self.fields[
                "remove_photo"
            ].label = "Remove the current logo (the initials show instead)"

    def clean_photo(self) -> photos.Photo | None:
        upload = self.cleaned_data.get("photo")
        return photos.prepare(upload) if upload else None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("photo") and cleaned.get("remove_photo"):
            self.add_error(
                "remove_photo",
                ValidationError(
                    "Choose a new photo or remove the current one, not both.",
                    code="both",
                ),
            )
        return cleaned
