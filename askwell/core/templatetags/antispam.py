"""`{% antispam_fields %}`: the honeypot and the signed form-started time
that askwell.core.antispam checks. Put it inside every form whose form class
uses SpamCheckMixin."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from askwell.core.antispam import HONEYPOT_FIELD, STARTED_FIELD, form_started_token

register = template.Library()


@register.simple_tag
def antispam_fields() -> str:
    # A fresh timestamp on every render, also when a form is shown again
    # with errors: the time starts when the person sees the form.
    return format_html(
        '<div class="visually-hidden" aria-hidden="true">'
        '<label>Leave this empty <input type="text" name="{}" value="" '
        'tabindex="-1" autocomplete="off"></label></div>'
        '<input type="hidden" name="{}" value="{}">',
        HONEYPOT_FIELD,
        STARTED_FIELD,
        form_started_token(),
    )
