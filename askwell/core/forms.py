"""Form fields for what people write: bounded first, then cleaned.

`TextField` is Django's CharField, and `WebAddressField` its URLField, with
two differences. The limit (from askwell.lib.limits, or the model field's)
is checked on the text as sent, before Django or the form does anything
else with it, and its message says both numbers ("At most 300 characters
(you sent 412)."). And text that cannot be stored as UTF-8 (a lone
surrogate, which only a JSON escape can carry: the API builds its forms
from JSON) is refused with a message instead of failing at the database.
The field's own clean_<name>() and the form's clean() see only text that
passed both.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from askwell.lib.limits import first_unencodable, length_message, unencodable_message


def model_choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The form's field `name`, which the form declares as a model choice
    (form.fields is typed as plain Fields), to set its queryset per request."""
    return cast("forms.ModelChoiceField[Any]", form.fields[name])


def validate_storable(value: str) -> None:
    index = first_unencodable(value)
    if index is not None:
        raise ValidationError(unencodable_message(value, index), code="unencodable")


class _Bounded(forms.CharField):
    def __init__(self, *, max_length: int, **kwargs: Any) -> None:
        super().__init__(max_length=max_length, **kwargs)
        # Checked in to_python, first; Django's says "Ensure this value has…".
        self.validators = [
            v for v in self.validators if not isinstance(v, MaxLengthValidator)
        ]

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            sent = len(value.strip() if self.strip else value)
            limit = self.max_length  # set by __init__; Django's type allows None
            if limit is not None and sent > limit:
                raise ValidationError(length_message(limit, sent), code="max_length")
            validate_storable(value)
        return super().to_python(value)


class TextField(_Bounded):
    pass


class WebAddressField(_Bounded, forms.URLField):
    pass
