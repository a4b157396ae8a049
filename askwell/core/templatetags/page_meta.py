"""What a page tells search engines and link previews about itself.

`{% page_meta title=... description=... %}` in a page's `meta` block (base.html
calls it with the site's defaults) writes the description, the canonical link,
Open Graph and Twitter card tags. `{{ data|json_ld }}` writes a schema.org
JSON-LD block.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.core.paginator import Page
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from askwell.core.links import site_url
from askwell.lib.markdown import html_to_text

register = template.Library()

DESCRIPTION_LENGTH = 200
DEFAULT_DESCRIPTION = "Expert answers to health questions, from many voices."
_SPACE = re.compile(r"\s+")
# Inside <script>, "</script" or "<!--" would end or confuse the element
# whatever its type; JSON's \u escapes keep the data identical.
_JSON_SCRIPT_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    ord("\u2028"): "\\u2028",
    ord("\u2029"): "\\u2029",
}


def describe(text: str, length: int = DESCRIPTION_LENGTH) -> str:
    """Plain text on one line, cut at a word to at most `length` characters."""
    text = _SPACE.sub(" ", text).strip()
    if len(text) <= length:
        return text
    cut = text[: length - 1].rsplit(" ", 1)[0].rstrip(",;:.-")
    return cut + "…"


def canonical_url(
    request: Any, page: Page[Any] | None = None, keep: tuple[str, ...] = ()
) -> str:
    """The page's public address: its path, the query parameters that name
    different content (`keep`, such as a search's q) and the page number past
    the first; tracking, sort and filter parameters are dropped."""
    params = [(name, request.GET[name]) for name in keep if request.GET.get(name)]
    if isinstance(page, Page) and page.number > 1:
        params.append(("page", str(page.number)))
    query = f"?{urlencode(params)}" if params else ""
    return site_url(request.path) + query


@register.inclusion_tag("components/_page_meta.html", takes_context=True)
def page_meta(
    context: template.Context,
    title: str = "",
    description: str = "",
    description_html: str = "",
    og_type: str = "website",
    image: Any = "",
    keep: str = "",
    noindex: bool = False,
) -> dict[str, Any]:
    """`description` is plain text; `description_html` sanitised HTML (an
    answer's body), turned into text. `image` is a path on this site or an
    image field's file (a photo, a book cover). `keep` names query parameters, comma-separated,
    that the canonical address keeps."""
    site_name = settings.ASKWELL_SITE_NAME
    text = html_to_text(description_html) if description_html else description
    request = context.get("request")
    return {
        "site_name": site_name,
        "title": describe(str(title), 150) or site_name,
        "description": describe(str(text)) or DEFAULT_DESCRIPTION,
        "og_type": og_type,
        "image": site_url(getattr(image, "url", image)) if image else "",
        "canonical": canonical_url(
            request,
            context.get("page"),
            tuple(name for name in keep.split(",") if name),
        )
        if request is not None
        else "",
        "noindex": noindex,
    }


@register.filter
def json_ld(data: dict[str, Any] | None) -> SafeString:
    """A <script type="application/ld+json"> holding `data`.

    The browser treats the block as data (the CSP's script-src does not apply
    to it) and shows none of it, so only "<", ">" and "&" need escaping, as in
    Django's json_script, to keep any text from ending the element early.
    """
    if not data:
        return SafeString("")
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(_JSON_SCRIPT_ESCAPES)),  # noqa: S308  escaped above
    )
