"""Phone-first reading, measured in a real Chromium on the demo at a phone's
390×844 and a desktop's 1280×900: a compact header with one search box, the
question and its first answer on the first screen, every answer before the
book box and the side material, the search filters folded above the
results, and targets a finger can hit (WCAG 2.2, 2.5.8: at least 24×24 CSS
pixels, unless inside a sentence or spaced apart)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from askwell.accounts.tests.browser import sign_in
from askwell.accounts.tests.factories import UserFactory
from askwell.demo.tests.test_browser import DEMO_QUESTION, VIEWPORTS, WCAG_AA
from askwell.topics.models import Topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEARCH = "/search/?q=can+plasma+exchange+help+ms"
FIRST_SCREEN = 844  # the phone's height, CSS pixels
# The header's height at most: one row of 44-pixel targets and its padding.
HEADER_MAX = {"phone": 64, "desktop": 72}
# A signed-in reader's account links (My questions, the inbox, sign out...)
# may take a second row on a desktop; a phone folds them into the menu.
SIGNED_IN_HEADER_MAX = {"phone": 64, "desktop": 120}
# Targets: what a pointer can activate.
TARGETS = (
    "a[href], button, summary, select, textarea, [role=button],"
    " input:not([type=hidden])"
)


def _pages() -> dict[str, str]:
    return {
        "home": "/",
        "question": DEMO_QUESTION,
        "search": SEARCH,
        "topic": Topic.objects.get(slug="multiple-sclerosis").get_absolute_url(),
        "questions": "/questions/",
    }


def _serious_violations(page: Page) -> list[dict]:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    assert results.response["testEngine"]["name"] == "axe-core"
    return [
        v
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _visible_search_boxes(page: Page) -> int:
    return page.locator("input[type=search]").evaluate_all(
        "boxes => boxes.filter(b => b.checkVisibility()).length"
    )


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("kind", ["home", "question", "search", "topic"])
def test_the_header_is_one_compact_row_and_a_page_has_one_search_box(
    demo, page: Page, viewport, kind
):
    # given
    page.set_viewport_size(VIEWPORTS[viewport])

    # when
    page.goto(demo + _pages()[kind])

    # then: the header is one row
    header = page.locator("header.site-header").bounding_box()
    assert header is not None
    assert header["height"] <= HEADER_MAX[viewport], header
    # one search box on the pages that have their own; elsewhere the
    # header's box (desktop) or its icon, which leads to the search page
    boxes = _visible_search_boxes(page)
    if kind in ("home", "search"):
        assert boxes == 1
    elif viewport == "phone":
        assert boxes == 0
        expect(page.get_by_role("link", name="Search", exact=True)).to_be_visible()
    else:
        assert boxes == 1
        expect(page.get_by_role("search")).to_be_visible()
    expect(page.get_by_role("link", name="Ask a question")).to_be_visible()


def test_on_a_phone_the_pages_and_the_account_are_in_the_menu(demo, page: Page):
    # given
    page.set_viewport_size(VIEWPORTS["phone"])
    page.goto(demo + DEMO_QUESTION)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav).to_be_hidden()

    # when
    page.get_by_text("Menu", exact=True).click()

    # then: the menu opens over the page, and its links lead on
    expect(nav).to_be_visible()
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()
    assert _serious_violations(page) == []
    nav.get_by_role("link", name="Topics").click()
    expect(page.locator("h1")).to_have_text("Topics")


def test_on_a_desktop_the_pages_and_the_account_stand_in_the_header(demo, page: Page):
    page.set_viewport_size(VIEWPORTS["desktop"])
    page.goto(demo + DEMO_QUESTION)

    expect(page.get_by_text("Menu", exact=True)).to_be_hidden()
    nav = page.get_by_role("navigation", name="Main")
    for name in ("Topics", "Questions", "Experts", "Videos"):
        expect(nav.get_by_role("link", name=name)).to_be_visible()
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()
    # brand, pages, search, Ask, account: left to right on one row
    order = [
        page.locator(selector).bounding_box()
        for selector in (
            ".brand",
            ".site-nav",
            ".site-search",
            ".site-ask",
            ".account-nav",
        )
    ]
    assert [box["x"] for box in order] == sorted(box["x"] for box in order)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_signed_in_readers_header_stays_compact(demo, page: Page, viewport):
    # given
    UserFactory(username="reader")
    page.set_viewport_size(VIEWPORTS[viewport])
    sign_in(page, demo, "reader")

    # when
    page.goto(demo + DEMO_QUESTION)

    # then
    header = page.locator("header.site-header").bounding_box()
    assert header is not None
    assert header["height"] <= SIGNED_IN_HEADER_MAX[viewport], header


def test_the_question_and_its_first_answer_are_on_a_phones_first_screen(
    demo, page: Page
):
    # given
    page.set_viewport_size(VIEWPORTS["phone"])

    # when
    page.goto(demo + DEMO_QUESTION)

    # then: the title, and the first answer's author and first words
    title = page.locator("h1").bounding_box()
    first = page.locator("article.answer").first
    byline = first.locator(".byline").bounding_box()
    words = first.locator(".answer__body").bounding_box()
    assert title is not None
    assert byline is not None
    assert words is not None
    assert title["y"] + title["height"] < FIRST_SCREEN
    assert byline["y"] + byline["height"] < FIRST_SCREEN, byline
    assert words["y"] + 24 < FIRST_SCREEN, words


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_answer_comes_before_the_book_box_and_the_side_material(
    demo, page: Page, viewport
):
    # given
    page.set_viewport_size(VIEWPORTS[viewport])

    # when
    page.goto(demo + DEMO_QUESTION)

    # then
    answers = [a.bounding_box() for a in page.locator("article.answer").all()]
    assert len(answers) == 2
    book = page.locator(".book-box").bounding_box()
    side = page.locator(".layout__side").bounding_box()
    assert book is not None
    assert side is not None
    last_answer_ends = max(a["y"] + a["height"] for a in answers)
    assert last_answer_ends <= book["y"]
    if viewport == "phone":
        assert last_answer_ends <= side["y"]
    else:  # beside the answers
        assert side["x"] > max(a["x"] + a["width"] for a in answers)
    # the answer from the book links to its box
    book_id = page.locator(".book-box").get_attribute("id")
    expect(page.locator(f'article.answer a[href="#{book_id}"]')).to_have_count(1)


def test_on_a_phone_the_search_filters_fold_above_the_results(demo, page: Page):
    # given
    page.set_viewport_size(VIEWPORTS["phone"])

    # when
    page.goto(demo + SEARCH)

    # then: folded, above the first result
    filters = page.locator("details.facets")
    results = page.locator("ol.results > li").first
    expect(filters).not_to_have_attribute("open", "")
    topic_links = filters.locator("ul a")
    expect(topic_links.first).to_be_hidden()
    assert filters.bounding_box()["y"] < results.bounding_box()["y"]

    # when unfolded, a filter narrows the results
    filters.locator("summary").click()
    expect(topic_links.first).to_be_visible()
    assert _serious_violations(page) == []
    topic_links.first.click()
    expect(page.locator("details.facets")).to_have_attribute("open", "")
    expect(page.get_by_role("link", name="Clear filters")).to_be_visible()


def test_on_a_desktop_the_search_filters_stand_beside_the_results(demo, page: Page):
    page.set_viewport_size(VIEWPORTS["desktop"])

    page.goto(demo + SEARCH)

    filters = page.locator("details.facets")
    expect(filters.locator("ul a").first).to_be_visible()
    results = page.locator("ol.results").bounding_box()
    beside = filters.bounding_box()
    assert beside["x"] >= results["x"] + results["width"]
    assert abs(beside["y"] - results["y"]) < 120


# In the page: every visible target in `scope` smaller than 24×24 that is
# neither inside a sentence (WCAG's inline exception) nor spaced apart (a
# 24-pixel circle on its centre meets no other target, nor the circle of
# another small one).
_SMALL_TARGETS = """
([scope, selector]) => {
  const shown = (el) => el.checkVisibility({visibilityProperty: true})
    && !el.closest('[aria-hidden=true], .visually-hidden');
  const targets = [...document.querySelectorAll(scope)]
    .flatMap(root => [...root.querySelectorAll(selector)])
    .filter(shown)
    .map(el => ({el, r: el.getBoundingClientRect()}))
    .filter(t => t.r.width > 0 && t.r.height > 0);
  const small = (t) => t.r.width < 24 || t.r.height < 24;
  const centre = (r) => [r.x + r.width / 2, r.y + r.height / 2];
  const inSentence = (el) => {
    if (getComputedStyle(el).display !== 'inline') return false;
    let block = el.parentElement;
    while (getComputedStyle(block).display.startsWith('inline')
           || getComputedStyle(block).display === 'contents') block = block.parentElement;
    let rest = block.innerText;
    for (const other of block.querySelectorAll(selector)) rest = rest.replace(other.innerText, ' ');
    return /\\p{L}{2,}/u.test(rest);
  };
  const meets = (c, r) => {
    const dx = Math.max(r.x - c[0], 0, c[0] - (r.x + r.width));
    const dy = Math.max(r.y - c[1], 0, c[1] - (r.y + r.height));
    return dx * dx + dy * dy < 144;
  };
  const spaced = (t) => {
    const c = centre(t.r);
    return targets.every(o => o === t || o.el.contains(t.el) || t.el.contains(o.el) || (
      !meets(c, o.r)
      && !(small(o) && Math.hypot(c[0] - centre(o.r)[0], c[1] - centre(o.r)[1]) < 24)));
  };
  return targets.filter(t => small(t) && !inSentence(t.el) && !spaced(t))
    .map(t => `${t.el.tagName.toLowerCase()} "${t.el.innerText.trim().slice(0, 40)}"`
              + ` ${Math.round(t.r.width)}×${Math.round(t.r.height)}`);
}
"""


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("kind", ["home", "question", "search", "topic", "questions"])
def test_targets_are_at_least_24_pixels_or_spaced_apart(
    demo, page: Page, viewport, kind
):
    # given
    page.set_viewport_size(VIEWPORTS[viewport])

    # when
    page.goto(demo + _pages()[kind])

    # then
    too_small = page.evaluate(_SMALL_TARGETS, ["header, main", TARGETS])
    assert too_small == []


# Links that stand alone (not in a sentence), which a reader taps on purpose.
STANDALONE = (
    ".breadcrumb a, .flag-link, .related__more, .pagination a, .answer__actions a,"
    " .question-header__actions a, .follow-actions a"
)


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("kind", ["question", "questions", "search"])
def test_links_that_stand_alone_are_24_pixels_at_least(
    demo, page: Page, viewport, kind
):
    """Breadcrumbs, "Report", "More answers", the pages of a list and the
    like are themselves at least 24×24, not only spaced apart."""
    # given
    page.set_viewport_size(VIEWPORTS[viewport])

    # when
    page.goto(demo + _pages()[kind])

    # then
    sizes = page.locator(STANDALONE).evaluate_all(
        "links => links.filter(a => a.checkVisibility()).map(a => {"
        " const r = a.getBoundingClientRect();"
        " return [a.innerText.trim(), r.width, r.height]; })"
    )
    # the question page's breadcrumb, actions and reports; a list's pages
    assert len(sizes) >= {"question": 8, "questions": 1, "search": 1}[kind]
    if kind != "question":
        expect(page.locator(".pagination a").first).to_be_visible()
    assert [s for s in sizes if s[1] < 24 or s[2] < 24] == []
