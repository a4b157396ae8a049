"""The Content-Security-Policy in a real Chromium: the site's pages, htmx and
the admin work under it, and the browser reports no violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from askwell.accounts.tests.factories import PASSWORD, UserFactory
from askwell.experts.tests.factories import ContributorFactory
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch(page: Page) -> list[str]:
    """Collect CSP violations and script errors as the page reports them."""
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        # The admin links no icon, so Chromium asks for /favicon.ico: a 404
        # that is not the policy's doing.
        if message.type == "error" and not message.location.get("url", "").endswith(
            "/favicon.ico"
        ):
            problems.append(f"{message.text} ({message.location.get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "response",
        lambda response: (
            problems.append(f"{response.status} {response.url}")
            if response.status >= 400
            else None
        ),
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e =>"
        " console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    return problems


def test_pages_and_htmx_run_under_the_policy(live_server, browser: Browser):
    # given
    asker = UserFactory(username="asker")
    expert = UserFactory(username="drjane")
    ContributorFactory(user=expert)
    answer = AnswerFactory(
        question=QuestionFactory(asker=asker, title="How long does a cold last?")
    )
    page = browser.new_page()
    problems = _watch(page)

    # when: sign in, mark the answer helpful through htmx, type in the ask form
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username or email address").fill("asker")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + answer.question.get_absolute_url())
    helpful = page.locator("form.helpful button")
    helpful.click()
    expect(page.locator("form.helpful")).to_contain_text("1")
    page.goto(live_server.url + "/questions/ask/")
    page.get_by_label("Your question").fill("How long does a common cold last?")
    page.wait_for_timeout(800)

    # then
    assert problems == []


def test_the_admin_works_under_the_policy(live_server, browser: Browser):
    # given
    UserFactory(username="root", is_staff=True, is_superuser=True)
    QuestionFactory(title="Does zinc shorten a cold?")
    page = browser.new_page()
    problems = _watch(page)

    # when
    page.goto(live_server.url + "/admin/")  # leads to the site's sign-in
    page.get_by_label("Username or email address").fill("root")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#site-name")).to_be_visible()
    page.goto(live_server.url + "/admin/questions/question/")
    page.get_by_role("link", name="Does zinc shorten a cold?").click()
    expect(page.locator("#content h1")).to_contain_text("Change")
    page.goto(live_server.url + "/admin/accounts/user/add/")
    expect(page.locator("#content h1")).to_contain_text("Add")

    # then
    assert problems == []


def test_injected_inline_script_is_blocked(live_server, browser: Browser):
    """What the policy is for: markup that slipped into a page cannot run."""
    # given
    page = browser.new_page()
    problems = _watch(page)
    page.goto(live_server.url + "/")

    # when
    page.evaluate(
        """() => {
            window.ran = false;
            document.body.insertAdjacentHTML(
                'beforeend', '<img src="data:," onload="window.ran = true">');
            const script = document.createElement('script');
            script.textContent = 'window.ran = true';
            document.body.append(script);
        }"""
    )
    page.wait_for_timeout(300)

    # then
    assert page.evaluate("window.ran") is False
    assert any("CSP violation: script-src-attr" in p for p in problems)
    assert any("CSP violation: script-src-elem" in p for p in problems)
