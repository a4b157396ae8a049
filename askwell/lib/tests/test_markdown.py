from __future__ import annotations

from html.parser import HTMLParser

import pytest

from askwell.lib.markdown import ALLOWED_TAGS, excerpt, html_to_text, render_markdown


class _Elements(HTMLParser):
    """Every element and attribute a browser would build from the HTML."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))


def test_markdown_renders_lists_emphasis_and_links_with_rel():
    html = render_markdown("Try:\n\n- *rest*\n- [fluids](https://example.org/x)")

    assert html == (
        "<p>Try:</p>\n<ul>\n<li><em>rest</em></li>\n"
        '<li><a href="https://example.org/x" rel="nofollow ugc noopener">fluids</a></li>\n</ul>\n'
    )


def test_top_level_heading_becomes_h2():
    assert render_markdown("# Title") == "<h2>Title</h2>\n"


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "[x](vbscript:msgbox(1))",
        '<div style="background:url(javascript:alert(1))">x</div>',
        "![img](javascript:alert(1))",
    ],
)
def test_unsafe_input_never_becomes_executable_html(source):
    elements = _Elements(render_markdown(source)).elements

    for tag, attrs in elements:
        assert tag in ALLOWED_TAGS
        assert not any(name.startswith("on") or name == "style" for name in attrs)
        assert (
            not (attrs.get("href") or "")
            .lower()
            .startswith(("javascript:", "vbscript:", "data:"))
        )


def test_html_to_text_and_excerpt():
    html = "<p>Rest &amp; fluids help.</p>\n<ul><li>Sleep</li></ul>"

    assert html_to_text(html) == "Rest & fluids help. Sleep"
    assert excerpt(html, 10) == "Rest &…"
    assert excerpt(html, 100) == "Rest & fluids help. Sleep"
