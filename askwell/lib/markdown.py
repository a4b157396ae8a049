"""User content: Markdown source in, sanitised HTML out.

markdown-it-py renders with raw HTML disabled, so `<script>` typed into an
answer shows as text; nh3 (the Rust ammonia sanitiser) then removes anything
the renderer could still produce that is unsafe, such as `javascript:` links.
Rendering happens once, when content is saved; templates show the stored HTML.

Nesting is bounded (MAX_NESTING): markdown-it rescans the rest of a line of
`[`, `![` or emphasis for each opening mark, to a depth of this many, so the
cost of such text grows with its length times the depth. Twelve levels keep
twelve quotes in one another, lists five levels deep, and links and
emphasis inside those; deeper text still renders, as plain text inside a
line and not at all in blocks nested further (the Markdown is kept as
written).
"""

from __future__ import annotations

import html
import re

import nh3
from markdown_it import MarkdownIt

MAX_NESTING = 12
_renderer = MarkdownIt(
    "commonmark", {"html": False, "typographer": False, "maxNesting": MAX_NESTING}
).enable(["table", "strikethrough"])

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "td": {"align"},
    "th": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"


def render_markdown(source: str) -> str:
    """Render user Markdown to HTML that is safe to show as-is.

    A Markdown `#` heading becomes `<h2>`: the page already has its `<h1>`.
    """
    rendered = _renderer.render(source or "")
    rendered = re.sub(r"<(/?)h1>", r"<\1h2>", rendered)
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


_TAG = re.compile(r"<[^>]+>")
_INLINE_TAG = re.compile(
    r"</?(?:a|abbr|b|code|del|em|i|s|strong|sub|sup)\b[^>]*>", re.IGNORECASE
)
_SPACE = re.compile(r"\s+")


def html_to_text(value: str) -> str:
    """Sanitised HTML as the text a reader sees, for excerpts, search and
    descriptions: inline tags go without a trace ("<em>this</em>, that" →
    "this, that", never "this , that"), block tags and line breaks become
    spaces ("<li>a</li><li>b</li>" → "a b")."""
    text = _TAG.sub(" ", _INLINE_TAG.sub("", value or ""))
    return _SPACE.sub(" ", html.unescape(text)).strip()


def excerpt(value: str, length: int = 240) -> str:
    """The first `length` characters of sanitised HTML as text, cut at a word."""
    text = html_to_text(value)
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0].rstrip(",;:.-")
    return cut + "…"
