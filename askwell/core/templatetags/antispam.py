"""`{% antispam_fields %}`: the honeypot and the signed form-started time
that askwell.core.antispam checks. Put it inside every form whose form class
uses SpamCheckMixin."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from askwell.core.antispam import HONEYPOT_FIELD, STARTED_FIELD, form_started_token

register = template.Library()


@register.simple_tag(takes_context=True)
def antispam_fields(context: dict[str, Any]) -> str:
    # A new timestamp on every render (each works once). A form shown again
    # with errors keeps the time it was first shown (its form's
    # `form_started`), so a quick correction is not refused as too fast.
    started = getattr(context.get("form"), "form_started", None)
    return format_html(
        '<div class="visually-hidden" aria-hidden="true">'
        '<label>Leave this empty <input type="text" name="{}" value="" '
        'tabindex="-1" autocomplete="off"></label></div>'
        '<input type="hidden" name="{}" value="{}">',
        HONEYPOT_FIELD,
        STARTED_FIELD,
        form_started_token(started),
    )
