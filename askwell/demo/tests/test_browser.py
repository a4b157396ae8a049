"""The demo site in a real Chromium: what a reader sees, on a desktop and a phone.

Screenshots land in test-artifacts/ (kept by CI for people to look at).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Page, expect

from askwell.accounts.tests.browser import sign_in
from askwell.accounts.tests.factories import UserFactory
from askwell.experts.actions import attach_account
from askwell.experts.models import Book, Contributor, Video
from askwell.topics.models import Topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
DEMO_QUESTION = "/questions/can-plasmapheresis-help-treat-multiple-sclerosis-ms/"
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
}
# axe-core rule tags for WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_demo_question_page_shows_every_element(demo, page: Page, viewport):
    # given
    page.set_viewport_size(VIEWPORTS[viewport])
    # when
    page.goto(demo + DEMO_QUESTION)
    # then
    expect(page.locator("h1")).to_have_text(
        "Can plasmapheresis help treat multiple sclerosis (MS)?"
    )
    answers = page.locator("article.answer")
    expect(answers).to_have_count(2)
    expect(answers.locator(".byline__name").filter(has_text=", MD")).to_be_visible()
    expect(
        answers.locator(".byline__role").filter(has_text="Neurology")
    ).to_be_visible()
    expect(
        answers.locator(".byline__role").filter(has_text="Organization")
    ).to_be_visible()

    book_box = page.locator(".book-box")
    expect(book_box).to_be_visible()
    expect(book_box.get_by_role("heading", name="More about this book")).to_be_visible()
    cover = book_box.locator("img.book-box__cover")
    expect(cover).to_be_visible()
    assert cover.evaluate("img => img.complete && img.naturalWidth > 0")

    expect(page.locator(".stance-summary")).to_contain_text(
        "Experts differ: 1 supportive, 1 mixed"
    )

    breadcrumb = page.get_by_role("navigation", name="Breadcrumb")
    expect(
        breadcrumb.get_by_role("link", name="Multiple Sclerosis", exact=True)
    ).to_be_visible()
    expect(
        breadcrumb.get_by_role("link", name="Multiple Sclerosis Treatment")
    ).to_be_visible()

    related = page.locator("section.related")
    expect(related.get_by_role("heading", level=2)).to_have_text(
        "Continue learning about Multiple Sclerosis Treatment"
    )
    expect(related.locator("h3 a", has_text="fingolimod")).to_be_visible()
    expect(related.locator(".related__more").first).to_contain_text("More answers (")
    expect(
        page.locator("section.related-videos").get_by_role(
            "link", name="alternative", exact=False
        )
    ).to_be_visible()

    disclaimer = page.locator("footer .disclaimer")
    expect(disclaimer).to_be_visible()
    expect(disclaimer).to_contain_text("Not medical advice")
    expect(disclaimer).to_contain_text("emergency number")

    # Nothing sticks out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"question-{viewport}.png", full_page=True)


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(demo, page: Page):
    page.goto(demo + DEMO_QUESTION)

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "main"


def _author() -> Contributor:
    """The demo's expert with a book (and a Markdown bio)."""
    return Contributor.objects.filter(books__isnull=False).first()


def _page_urls() -> dict[str, str]:
    return {
        "home": "/",
        "topic": Topic.objects.get(slug="multiple-sclerosis").get_absolute_url(),
        "question": DEMO_QUESTION,
        "profile": _author().get_absolute_url(),
        "organization": Contributor.objects.organizations().first().get_absolute_url(),
        "book": Book.objects.first().get_absolute_url(),
        "video": Video.objects.first().get_absolute_url(),
        "404": "/no-such-page/",
        "search results": "/search/?q=plasmapheresis+for+multiple+sclerosis",
        "sign-in": "/accounts/login/",
        "ask form": "/questions/ask/",
        "my settings": "/accounts/settings/",
        "edit profile": reverse(
            "experts:edit_profile", kwargs={"slug": _author().slug}
        ),
        "api docs": "/api/v1/docs",
    }


# Pages seen signed in, as the demo's expert with a book.
SIGNED_IN = {"ask form", "my settings", "edit profile"}


@pytest.mark.parametrize(
    "kind",
    [
        "home",
        "topic",
        "question",
        "profile",
        "organization",
        "book",
        "video",
        "404",
        "search results",
        "sign-in",
        "ask form",
        "my settings",
        "edit profile",
        "api docs",
    ],
)
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_page_has_no_serious_accessibility_violations(demo, page: Page, kind, viewport):
    page.set_viewport_size(VIEWPORTS[viewport])
    if kind in SIGNED_IN:
        attach_account(_author(), UserFactory(username="author"))
        sign_in(page, demo, "author")
    response = page.goto(demo + _page_urls()[kind])
    assert response is not None
    assert response.status == (404 if kind == "404" else 200)
    if kind == "api docs":
        # Swagger UI renders after loading; one operation is opened too, to
        # check its parameters, responses and example values.
        operation = page.locator("#operations-questions-askwell_api_views_get_question")
        operation.locator(".opblock-summary-control").click()
        expect(operation.locator(".responses-wrapper")).to_be_visible()

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})

    serious = [
        v
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], results.generate_report()
    # The scan really ran: axe reports the rules it passed.
    assert results.response["testEngine"]["name"] == "axe-core"


def test_search_suggests_while_typing_and_finds_the_answer(demo, page: Page):
    # given
    page.goto(demo + "/search/")
    box = page.get_by_label("Your question, in your own words")
    # when: the reader types in their own words
    box.press_sequentially(
        "my mom has MS, would having her plasma cleaned help?", delay=5
    )
    # then: answered questions appear before they submit (htmx, debounced)
    similar = page.locator("#similar-live")
    expect(similar.get_by_role("heading", name="Already answered")).to_be_visible()
    expect(
        similar.get_by_role(
            "link", name="Can plasmapheresis help treat multiple sclerosis (MS)?"
        )
    ).to_be_visible()
    # when they submit
    box.press("Enter")
    # then the top result is the expert answers to that question, words marked
    first = page.locator("ol.results > li").first
    expect(first.get_by_role("heading", level=2)).to_have_text(
        "Can plasmapheresis help treat multiple sclerosis (MS)?"
    )
    expect(first.locator("mark").first).to_be_visible()
    expect(first).to_contain_text("2 answers")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    serious = [
        v
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], results.generate_report()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "search.png", full_page=True)


def test_search_shows_the_emergency_notice_first(demo, page: Page):
    page.goto(demo + "/search/?q=crushing+chest+pain+and+I+can%27t+breathe")

    notice = page.get_by_role("alert")
    expect(notice).to_contain_text("If this is an emergency, get help now")
    box = notice.bounding_box()
    heading = page.get_by_role("heading", name="Search", exact=True).bounding_box()
    assert box is not None
    assert heading is not None
    assert box["y"] < heading["y"]
