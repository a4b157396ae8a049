"""Property test of the Markdown-to-HTML path (hypothesis): whatever text a
user submits, the stored HTML cannot run code or restyle the page.

Inputs mix arbitrary text with fragments attackers use: raw tags, event
handlers, script-capable URL schemes (also entity-encoded and split by
control characters), CSS expressions, Markdown links and images around
them, and nesting deeper than the renderer follows. The output is parsed with the standard library's HTML parser, which
decodes entities in attribute values as a browser would.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from askwell.lib.markdown import ALLOWED_TAGS, render_markdown

FRAGMENTS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//x.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)>",
    '<div style="background:url(javascript:alert(1))">',
    "<style>body{display:none}</style>",
    "<object data=x></object>",
    "<math><mi xlink:href=javascript:alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](javascript:alert(1))",
    '![img](x" onerror="alert(1))',
    '[a](https://ok.example "title" onclick="alert(1)")',
    "<a href='https://ok.example' onclick='alert(1)'>ok</a>",
    "expression(alert(1))",
    "`<script>`",
    "    <script>indented</script>",
    "> <script>quoted</script>",
    "- <b onmouseover=alert(1)>list</b>",
    "| a | <script> |\n|---|---|\n| <img src=x onerror=1> | b |",
    "<!-- <script> -->",
    "&lt;script&gt;",
    "\x00",
    "\u202e",
    "\n\n",
    "# ",
    "**",
    "[",
    "](",
    ")",
    # Deep nesting: past markdown-it's depth limit (askwell.lib.markdown).
    "[" * 40,
    "![[" * 20,
    "[![" * 20,
    "> " * 30,
    "\n" + "".join("  " * i + "- x\n" for i in range(20)),
    "*a" * 40,
    "**_" * 20,
]
SCHEMES = re.compile(r"^(javascript|vbscript|data|file):", re.IGNORECASE)
INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcset"}


class Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name} on <{tag}>")
            if name == "style":
                self.problems.append(f"style attribute on <{tag}>")
            unsafe_url = value is not None and SCHEMES.match(INVISIBLE.sub("", value))
            if name in URL_ATTRIBUTES and unsafe_url:
                self.problems.append(f"{name}={value!r} on <{tag}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def _problems(html: str) -> list[str]:
    audit = Audit()
    audit.feed(html)
    audit.close()
    return audit.problems


hostile_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40)), max_size=12
).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_text)
def test_no_input_renders_to_executable_or_styling_html(source):
    assert _problems(render_markdown(source)) == []


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_unicode_text_renders_without_error_and_safely(source):
    assert _problems(render_markdown(source)) == []


def test_the_auditor_catches_what_it_looks_for():
    """The property tests' checker itself flags each kind of problem."""
    assert _problems(
        '<script></script><a href=" java\tscript:x" onclick="y"></a>'
        '<p style="x"></p><img src="data:text/html,x">'
    ) == [
        "tag <script>",
        "href=' java\\tscript:x' on <a>",
        "event handler onclick on <a>",
        "style attribute on <p>",
        "tag <img>",
        "src='data:text/html,x' on <img>",
    ]
