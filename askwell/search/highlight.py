"""Excerpts with the reader's words marked, built from escaped text only."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from askwell.lib.markdown import html_to_text

WINDOW = 260


def _pattern(terms: list[str]) -> re.Pattern[str] | None:
    parts = sorted({t for t in terms if len(t) >= 3}, key=len, reverse=True)
    if not parts:
        return None
    # A word matches its own longer forms: "treat" marks "treatment".
    return re.compile(
        r"\b(" + "|".join(re.escape(p) for p in parts) + r")\w*", re.IGNORECASE
    )


def highlight_excerpt(
    body_html: str, terms: list[str], window: int = WINDOW
) -> SafeString:
    """About `window` characters of the answer around its first matched word,
    HTML-escaped, with matched words wrapped in <mark>."""
    text = html_to_text(body_html)
    pattern = _pattern(terms)
    match = pattern.search(text) if pattern else None
    start = 0
    if match and match.start() > window // 3:
        start = text.rfind(" ", 0, match.start() - window // 4) + 1
    piece = text[start : start + window]
    if start + window < len(text):
        piece = piece.rsplit(" ", 1)[0] + "…"
    if start > 0:
        piece = "…" + piece
    if pattern is None:
        return mark_safe(escape(piece))  # noqa: S308 - escaped
    out: list[str] = []
    last = 0
    for found in pattern.finditer(piece):
        out.append(escape(piece[last : found.start()]))
        out.append(f"<mark>{escape(found.group(0))}</mark>")
        last = found.end()
    out.append(escape(piece[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped; only <mark> added
