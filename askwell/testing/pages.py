"""Read what a page says about itself the way a crawler does: the head's
<meta> and <link> tags and the JSON-LD blocks, parsed with the standard
library's HTML parser (which, like a browser, ends a <script> at the first
"</script")."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any


class _HeadReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict[str, str]] = []
        self.json_ld: list[str] = []
        self._in_json_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "meta" and ("property" in values or "name" in values):
            key = values.get("property") or values["name"]
            self.meta.setdefault(key, []).append(values.get("content", ""))
        elif tag == "link":
            self.links.append(values)
        elif tag == "script" and values.get("type") == "application/ld+json":
            self._in_json_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data: str) -> None:
        if self._in_json_ld:
            self.json_ld[-1] += data


def read_head(html: str) -> _HeadReader:
    reader = _HeadReader()
    reader.feed(html)
    reader.close()
    return reader


def json_ld(html: str) -> list[dict[str, Any]]:
    """Every JSON-LD block of the page, decoded."""
    return [json.loads(block) for block in read_head(html).json_ld]


def meta(html: str) -> dict[str, str]:
    """The page's <meta> tags by name or property; each must appear once."""
    found = read_head(html).meta
    repeated = {key: values for key, values in found.items() if len(values) > 1}
    if repeated:
        raise AssertionError(f"meta tags given more than once: {repeated}")
    return {key: values[0] for key, values in found.items()}


def links(html: str, rel: str) -> list[dict[str, str]]:
    """The <link> tags with this rel."""
    return [link for link in read_head(html).links if link.get("rel") == rel]
