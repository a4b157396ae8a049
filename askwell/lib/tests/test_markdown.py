from __future__ import annotations

import sys
from html.parser import HTMLParser

import pytest

from askwell.lib import markdown
from askwell.lib.markdown import ALLOWED_TAGS, excerpt, html_to_text, render_markdown
from askwell.testing.work import lines_run


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


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("In my book *Steady Ground*, I wrote.", "In my book Steady Ground, I wrote."),
        ("It **works**; mostly.", "It works; mostly."),
        ("See [the guide](https://example.org/).", "See the guide."),
        ("Take `ibuprofen`?", "Take ibuprofen?"),
        ("Line one  \nline two", "Line one line two"),
        ("- a\n- b", "a b"),
    ],
)
def test_excerpts_keep_punctuation_against_its_word(source, text):
    """Inline markup leaves no space before the punctuation after it; block
    tags and line breaks still separate words."""
    html = render_markdown(source)

    assert html_to_text(html) == text
    assert excerpt(html, 240) == text


# --- cost: nesting is bounded, work linear in the text ------------------------------

# Text markdown-it is known to work hard on: brackets that may open link labels
# (each rescans the rest of the line), images in links, emphasis runs, and
# deep quotes and lists.
PATHOLOGICAL = {
    "brackets": "[",
    "image-in-link": "[![",
    "link-in-image": "![[",
    "reference-like": "[a][",
    "unclosed-links": "[a](",
    "emphasis": "*a",
    "strong": "**a",
    "underscores": "_a",
    "mixed-emphasis": "*a_",
    "code-spans": "a`",
    "entities": "&#",
    "quote-markers": ">",
    "quotes": "> ",
    "list-markers": "- ",
}
_MARKDOWN_IT = [m for name, m in sys.modules.items() if name.startswith("markdown_it")]


def _repeat(unit: str, size: int) -> str:
    return (unit * size)[:size]


def _deep_list(levels: int) -> str:
    return "".join("  " * i + "- item\n" for i in range(levels))


@pytest.mark.parametrize("unit", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_markdown_costs_work_linear_in_its_length(unit):
    """Four times the text runs about four times markdown-it's lines."""
    # when
    short, _ = lines_run(lambda: render_markdown(_repeat(unit, 1_000)), _MARKDOWN_IT)
    long, _ = lines_run(lambda: render_markdown(_repeat(unit, 4_000)), _MARKDOWN_IT)

    # then
    assert long <= 4.5 * short


def test_deep_lists_cost_work_linear_in_their_length():
    # when: 4x the characters (the indentation grows with the depth)
    short, _ = lines_run(lambda: render_markdown(_deep_list(38)), _MARKDOWN_IT)
    long, _ = lines_run(lambda: render_markdown(_deep_list(76)), _MARKDOWN_IT)

    # then
    assert long <= 4.5 * short


@pytest.mark.parametrize("unit", ["[", "[![", "![[", "[a]["])
def test_a_line_of_30_kb_of_brackets_is_rescanned_at_most_max_nesting_deep(
    unit, monkeypatch
):
    """Each `[` may rescan the rest of the line for its label, to a depth
    of MAX_NESTING: at most 20 skipped tokens a character (markdown-it's
    own default depth of 20 made it 30)."""
    # given
    source = _repeat(unit, 30_000)
    inline = markdown._renderer.inline
    skipped = []
    original = inline.skipToken
    monkeypatch.setattr(
        inline, "skipToken", lambda state: skipped.append(1) or original(state)
    )

    # when
    html = render_markdown(source)

    # then
    assert markdown.MAX_NESTING == 12
    assert len(skipped) <= 20 * len(source)
    assert html_to_text(html) == source  # shown as typed: no link closes


@pytest.mark.parametrize(
    "source",
    [
        ">" * 30_000 + " deep",
        "> " * 15_000 + "deep",
        _deep_list(150),
        "1. " * 10_000 + "deep",
    ],
    ids=["quote-markers", "quotes", "list", "ordered-list-markers"],
)
def test_deep_nesting_renders_without_recursing_past_the_limit(source):
    """Nesting deeper than MAX_NESTING stops there (the Markdown is kept as
    written; the page shows the levels up to the limit)."""
    # when
    html = render_markdown(source)

    # then
    assert html.count("<blockquote>") <= markdown.MAX_NESTING
    assert html.count("<ul>") + html.count("<ol>") <= markdown.MAX_NESTING
