"""The ask form in a real Chromium, on a phone and a desktop: what people see
while they fill it in, with and without JavaScript."""

from __future__ import annotations

import contextlib
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, Route, expect
from playwright.sync_api import Error as PlaywrightError

from askwell.accounts.tests.browser import sign_in
from askwell.accounts.tests.factories import UserFactory
from askwell.questions.models import Question
from askwell.topics.tests.factories import TopicFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
}
TITLE = "Does multiple sclerosis run in families?"
# axe-core rule tags for WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@pytest.fixture
def asking(live_server, page: Page) -> Page:
    """A signed-in reader on the ask page."""
    UserFactory(username="asker")
    sign_in(page, live_server.url, "asker")
    page.goto(live_server.url + "/questions/ask/")
    return page


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_checkbox_sits_beside_its_label(asking: Page, viewport):
    # given
    asking.set_viewport_size(VIEWPORTS[viewport])

    # when
    box = asking.get_by_role("checkbox", name="Post anonymously").bounding_box()
    label = asking.locator("label", has_text="Post anonymously").bounding_box()

    # then: on one line, the label just after the box
    assert box is not None
    assert label is not None
    middle = box["y"] + box["height"] / 2
    assert label["y"] <= middle <= label["y"] + label["height"]
    assert 0 <= label["x"] - (box["x"] + box["width"]) <= 16
    assert box["width"] >= 24
    assert box["height"] >= 24


def _channels(css_colour: str) -> tuple[int, int, int]:
    red, green, blue = (int(v) for v in re.findall(r"\d+", css_colour)[:3])
    return red, green, blue


def _luminance(rgb: tuple[int, int, int]) -> float:
    def linear(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(v) for v in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def test_the_focus_ring_does_not_look_like_an_error(asking: Page):
    """Blue, not the red or orange of errors, and at least 3:1 against the
    page (WCAG 2.2, 1.4.11)."""
    # given
    field = asking.get_by_label("Your question")

    # when: reached with the keyboard
    field.focus()
    asking.keyboard.press("Shift+Tab")
    asking.keyboard.press("Tab")

    # then
    expect(field).to_be_focused()
    outline = field.evaluate(
        "el => { const s = getComputedStyle(el);"
        " return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }"
    )
    style, width, colour = outline
    assert style == "solid"
    assert float(width.removesuffix("px")) >= 2
    red, green, blue = _channels(colour)
    assert blue > red, colour  # blue, not red or orange
    # against the page's background and the white of panels
    page_background = asking.evaluate(
        "getComputedStyle(document.documentElement).backgroundColor"
    )
    for background in (_channels(page_background), (255, 255, 255)):
        lighter, darker = sorted(
            (_luminance((red, green, blue)), _luminance(background)), reverse=True
        )
        assert (lighter + 0.05) / (darker + 0.05) >= 3, background


def test_personal_details_are_pointed_out_while_typing(asking: Page):
    # when: the reader types an email address into the details
    asking.get_by_label("Your question").fill(TITLE)
    asking.get_by_label("Details (optional)").press_sequentially(
        "My sister, jo@example.com, has MS.", delay=5
    )

    # then: the warning comes before any posting
    live = asking.locator("#personal-details-live")
    expect(live).to_contain_text("Your question seems to include an email address.")
    assert not Question.objects.exists()

    # when: they take it out
    asking.get_by_label("Details (optional)").fill("My sister has MS.")

    # then: the warning goes, and the question posts at the first try
    expect(live).to_be_empty()
    asking.get_by_role("button", name="Post your question").click()
    expect(asking.locator("h1")).to_have_text(TITLE)
    assert Question.objects.get().details == "My sister has MS."


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_topic_picker_finds_topics_as_one_types(asking: Page, viewport):
    # given
    ms = TopicFactory(name="Multiple Sclerosis")
    TopicFactory(name="Asthma")
    asking.set_viewport_size(VIEWPORTS[viewport])
    asking.reload()
    asking.get_by_label("Your question").fill(TITLE)
    finder = asking.get_by_label("Find a topic")

    # when: the reader types part of a name, and ticks what comes
    finder.press_sequentially("scler", delay=20)
    choice = asking.get_by_role("checkbox", name="Multiple Sclerosis")
    expect(choice).to_be_visible()
    expect(asking.get_by_role("checkbox", name="Asthma")).to_have_count(0)
    choice.check()
    # ...then looks for another, and presses Enter (which searches, not posts)
    finder.fill("")
    finder.press_sequentially("asth", delay=20)
    finder.press("Enter")

    # then: the ticked topic stays ticked, the new one is offered
    expect(asking.get_by_role("checkbox", name="Asthma")).to_be_visible()
    expect(asking.get_by_role("checkbox", name="Multiple Sclerosis")).to_be_checked()
    assert not Question.objects.exists()
    results = Axe().run(asking, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    serious = [
        v
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], results.generate_report()

    # when
    asking.get_by_role("button", name="Post your question").click()

    # then
    expect(asking.locator("h1")).to_have_text(TITLE)
    assert list(Question.objects.get().topics.all()) == [ms]


def test_a_tick_is_kept_when_a_list_sent_before_it_arrives_after_it(asking: Page):
    # given: the list of choices for "scler" is on screen; then the reader
    # writes details, which asks for new suggestions, and that answer is slow
    TopicFactory(name="Multiple Sclerosis")
    TopicFactory(name="Asthma")
    held: list[Route] = []

    def hold_the_first_with_details(route: Route) -> None:
        if "sister" in route.request.url and not held:
            held.append(route)
        else:
            route.continue_()

    asking.route(re.compile(r"/ask/topics/"), hold_the_first_with_details)
    asking.get_by_label("Your question").fill(TITLE)
    finder = asking.get_by_label("Find a topic")
    finder.press_sequentially("scler", delay=20)
    choice = asking.get_by_role("checkbox", name="Multiple Sclerosis")
    expect(choice).to_be_visible()
    with asking.expect_request(re.compile(r"/ask/topics/.*sister")):
        asking.get_by_label("Details (optional)").fill("My sister has MS.")

    # when: the reader ticks a topic while those suggestions are on their
    # way, and they arrive afterwards (made before the tick: it is not in them)
    choice.check()
    for route in held:
        with contextlib.suppress(PlaywrightError):  # the page gave up on it
            route.continue_()
        route.request.response()  # arrived, or failed
    finder.fill("")
    finder.press_sequentially("asth", delay=20)

    # then: the tick stands
    expect(asking.get_by_role("checkbox", name="Asthma")).to_be_visible()
    expect(asking.get_by_role("checkbox", name="Multiple Sclerosis")).to_be_checked()


def test_without_javascript_the_topics_are_a_plain_list(live_server, browser: Browser):
    # given: a browser that runs no scripts
    ms = TopicFactory(name="Multiple Sclerosis")
    TopicFactory(name="Asthma")
    UserFactory(username="asker")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, "asker")
    page.goto(live_server.url + "/questions/ask/")

    # then: no picker, the list instead
    expect(page.get_by_label("Find a topic")).to_be_hidden()
    topics = page.get_by_role("listbox", name="Topics")
    expect(topics).to_be_visible()

    # when
    page.get_by_label("Your question").fill(TITLE)
    topics.select_option(label="Multiple Sclerosis")
    page.get_by_role("button", name="Post your question").click()

    # then
    expect(page.locator("h1")).to_have_text(TITLE)
    assert list(Question.objects.get().topics.all()) == [ms]
    context.close()
