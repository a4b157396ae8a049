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

from askwell.accounts.tests.browser import header_link, open_header_menu
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
        # a phone's header has a search icon, which opens the search page
        page.locator("header").get_by_role("link", name="Search", exact=True).click()
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
    header_link(page, re.compile(r"Notifications \(\d+\)")).click()
    _shot(page, "asker", 4, "notified", viewport)
    page.get_by_role("link", name=re.compile("cooling vests", re.I)).first.click()
    reviewed = page.locator("article.answer").first
    expect(reviewed).to_contain_text("Samuel Okafor")
    expect(reviewed).to_contain_text("Medically reviewed by Dr. Erin Walsh, MD, MPH")
    _shot(page, "asker", 5, "answered", viewport)


def test_expert_answers_from_for_you_revises_on_request_and_is_approved(
    demo, browser: Browser, viewport
):
    from askwell.accounts.models import User
    from askwell.questions.models import Answer
    from askwell.review import actions as review_actions

    page = _page(browser, viewport)
    editor = User.objects.get(username="editor")
    first_words = "Heat makes MS symptoms flare for a while; cooling down helps."
    revised = (
        "Heat makes MS symptoms flare for a while (Uhthoff's phenomenon); "
        "they settle once the body cools, and the heat does no lasting harm."
    )

    # For you: a question waiting in the expert's specialty.
    page.goto(demo + "/accounts/login/")
    _sign_in(page, "drokafor")
    header_link(page, "For you").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("For you")
    _shot(page, "expert", 1, "for-you", viewport)
    waiting = page.locator(".question-item").first
    title = waiting.locator(".question-item__title").inner_text()
    waiting.get_by_role("link", name=re.compile("^Answer")).click()

    # Answer it.
    page.get_by_label("Your answer").fill(first_words)
    _shot(page, "expert", 2, "answer", viewport)
    page.get_by_role("button", name="Publish answer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)

    # A medical reviewer asks for changes; My answers says so, with the note.
    answer = Answer.objects.get(question__title=title, body=first_words)
    review_actions.request_changes(
        editor, answer, note="Name the effect, and say that it passes."
    )
    header_link(page, "My answers").click()
    row = page.locator("li", has_text=title).first
    expect(row).to_contain_text("Changes requested")
    expect(row).to_contain_text("Name the effect, and say that it passes.")
    _shot(page, "expert", 3, "changes-requested", viewport)

    # Edit and send the new version.
    row.get_by_role("link", name=re.compile("^Edit")).click()
    page.get_by_label("Your answer").fill(revised)
    page.get_by_role("button", name="Save changes").click()

    # Approved: My answers and the question page say so.
    review_actions.approve_answer(editor, answer)
    header_link(page, "My answers").click()
    expect(page.locator("li", has_text=title).first).to_contain_text("Approved")
    _shot(page, "expert", 4, "approved", viewport)
    page.get_by_role("link", name=title).first.click()
    shown = page.locator("article.answer", has_text="Uhthoff")
    expect(shown).to_contain_text("Medically reviewed by Dr. Erin Walsh, MD, MPH")
    _shot(page, "expert", 5, "published", viewport)


def test_editor_reviews_with_the_diff_verifies_moderates_and_reads_the_log(
    demo, browser: Browser, viewport
):
    from askwell.accounts.models import User
    from askwell.questions import actions as question_actions
    from askwell.questions.models import Answer

    # An expert sends a new version of an approved answer.
    expert = User.objects.get(username="drokafor")
    answer = Answer.objects.filter(contributor=expert.contributor).first()
    assert answer is not None
    assert answer.is_medically_reviewed
    question_actions.edit_answer(
        expert, answer, body=answer.body + "\n\nAsk your neurologist first."
    )
    page = _page(browser, viewport)
    page.goto(demo + "/accounts/login/")
    _sign_in(page, "editor")

    def menu(item: str) -> None:
        open_header_menu(page)
        page.locator("summary", has_text="Editor").first.click()
        page.get_by_role("navigation", name="Editor").get_by_role(
            "link", name=item
        ).click()

    # The review queue, and the answer with what changed word by word.
    menu("Answers to review")
    _shot(page, "editor", 1, "queue", viewport)
    page.get_by_role("link", name=answer.question.title).first.click()
    changed = page.locator(".diff ins").filter(has_text="neurologist")
    expect(changed.first).to_be_visible()
    changed.first.scroll_into_view_if_needed()
    _shot(page, "editor", 2, "review-diff", viewport)
    page.get_by_label("Approved").check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_role("status")).to_contain_text("Your decision is recorded")

    # An expert application: verify it.
    menu("Expert applications")
    page.get_by_role("link", name=re.compile("Paul Whitaker")).first.click()
    _shot(page, "editor", 3, "application", viewport)
    page.get_by_role("button", name="Approve and verify").click()

    # A report: dismiss it.
    menu("Flags")
    flags = page.locator("li", has_text="supplement dose").first
    _shot(page, "editor", 4, "flags", viewport)
    flags.get_by_role("button", name="Dismiss").click()

    # The audit log reads as words.
    menu("Audit log")
    log = page.get_by_role("main")
    expect(log).to_contain_text("approved an answer")
    expect(log).to_contain_text("verified an expert")
    expect(log).to_contain_text("dismissed a report")
    expect(log).not_to_contain_text("{'status'")
    _shot(page, "editor", 5, "audit-log", viewport)
