"""The core loop, walked by each role in a real Chromium on a desktop and a
phone: a reader finds an answer or asks, an asker hears back, an expert
answers and revises, an editor reviews and moderates.

Each step is photographed to test-artifacts/journeys/ (kept by CI); the
README shows a set copied into docs/images/journeys/ (see "Journeys" there).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from askwell.demo.accounts import ACCOUNTS, ensure_demo_accounts
from askwell.demo.loader import load_demo_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "journeys"
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
}
PASSWORDS = {account.username: account.password for account in ACCOUNTS}


@pytest.fixture
def demo(live_server):
    load_demo_content()
    ensure_demo_accounts()
    return live_server.url


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request) -> str:
    return str(request.param)


def _page(browser: Browser, viewport: str) -> Page:
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    return context.new_page()


def _shot(page: Page, role: str, step: int, name: str, viewport: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{role}-{step}-{name}-{viewport}.png")


def _sign_in(page: Page, username: str) -> None:
    """Fill the sign-in form the page shows now."""
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORDS[username])
    page.get_by_role("button", name="Sign in").click()


def _search(page: Page, words: str) -> None:
    """Type into the page's one visible search box and submit it."""
    box = page.get_by_role("searchbox").locator("visible=true").first
    if not box.count():
        page.get_by_role("button", name=re.compile("Search", re.I)).first.click()
        box = page.get_by_role("searchbox").locator("visible=true").first
    box.fill(words)
    box.press("Enter")


def test_reader_finds_an_answer_or_asks_with_the_words_kept(
    demo, browser: Browser, viewport
):
    page = _page(browser, viewport)

    # A question in the reader's own words finds the expert answer.
    page.goto(demo + "/")
    _search(page, "can plasma exchange help multiple sclerosis")
    results = page.get_by_role("main")
    expect(results.get_by_role("heading", level=1)).to_contain_text("Search")
    expect(page.locator(".no-close-match")).to_have_count(0)
    _shot(page, "reader", 1, "search-finds", viewport)
    results.get_by_role(
        "link", name=re.compile("plasmapheresis help treat multiple sclerosis", re.I)
    ).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("plasmapheresis")
    first = page.locator("article.answer").first
    expect(first).to_contain_text("Samuel Okafor")
    _shot(page, "reader", 2, "answer", viewport)

    # Nothing close: said plainly first, and Ask keeps the words.
    _search(page, "menopause hot flashes at night")
    notice = page.locator(".no-close-match")
    expect(notice).to_contain_text("We don't have an expert answer to this yet.")
    _shot(page, "reader", 3, "nothing-close", viewport)
    notice.get_by_role("link", name="Ask your question").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    _sign_in(page, "reader")
    expect(page.get_by_label("Your question")).to_have_value(
        "menopause hot flashes at night"
    )
    _shot(page, "reader", 4, "ask-prefilled", viewport)


def test_asker_signs_up_asks_and_hears_back_with_the_reviewer_named(
    demo, browser: Browser, viewport
):
    from askwell.accounts.models import User
    from askwell.questions import actions as question_actions
    from askwell.questions.models import Question
    from askwell.review import actions as review_actions

    page = _page(browser, viewport)
    title = "Can cooling vests help with heat sensitivity in MS?"

    # Sign up from the header's Ask link and come back to the form.
    page.goto(demo + "/")
    page.get_by_role("link", name="Ask a question").first.click()
    page.get_by_role("link", name=re.compile("Create an account", re.I)).click()
    page.get_by_label("Username").fill("newasker")
    page.get_by_label("Email address").fill("newasker@example.org")
    page.get_by_label("Password", exact=True).fill("a long enough pass phrase 42")
    page.get_by_label("Password again").fill("a long enough pass phrase 42")
    _shot(page, "asker", 1, "sign-up", viewport)
    page.get_by_role("button", name="Create account").click()
    link = re.search(r"https?://\S+", mail.outbox[-1].body)
    assert link is not None
    page.goto(re.sub(r"^https?://[^/]+", demo, link.group(0)))

    # Ask.
    expect(page.get_by_label("Your question")).to_be_visible()
    page.get_by_label("Your question").fill(title)
    page.get_by_label("Details (optional)").fill(
        "Hot days make my legs weak. Would a cooling vest help, and which kind?"
    )
    _shot(page, "asker", 2, "ask", viewport)
    page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    _shot(page, "asker", 3, "asked", viewport)

    # Meanwhile an expert answers and a medical reviewer approves it.
    question = Question.objects.get(title=title)
    expert = User.objects.get(username="drokafor")
    answer = question_actions.post_answer(
        expert,
        question,
        contributor=expert.contributor,
        body="Cooling vests help many people with heat-sensitive MS symptoms. "
        "Vests with cold packs cool longest; try one on a warm day at home first.",
    )
    review_actions.approve_answer(User.objects.get(username="editor"), answer)

    # The asker hears back, and reads the answer with its reviewer's name.
    page.goto(demo + "/")
    page.get_by_role("link", name=re.compile(r"Notifications \(\d+\)")).first.click()
    _shot(page, "asker", 4, "notified", viewport)
    page.get_by_role("link", name=re.compile("cooling vests", re.I)).first.click()
    reviewed = page.locator("article.answer").first
    expect(reviewed).to_contain_text("Samuel Okafor")
    expect(reviewed).to_contain_text("Medically reviewed by Dr. Erin Walsh, MD, MPH")
    _shot(page, "asker", 5, "answered", viewport)
