"""A page from the app's cache in a real Chromium: it loads, its scripts run
under the Content-Security-Policy, and the browser reports no violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from askwell.core.security import CONTENT_SECURITY_POLICY
from askwell.core.tests.test_security_browser import _watch
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_cached_page_runs_under_the_policy(live_server, browser: Browser):
    # given: a first visitor's request put the question page in the cache
    answer = AnswerFactory(
        question=QuestionFactory(title="How long does a cold last?"),
        body="About a week.",
    )
    url = live_server.url + answer.question.get_absolute_url()
    first = browser.new_page()
    assert first.goto(url).headers["x-askwell-cache"] == "miss"
    first.close()
    page = browser.new_page()
    problems = _watch(page)

    # when
    response = page.goto(url)

    # then
    assert response.headers["x-askwell-cache"] == "hit"
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["cache-control"].startswith("public, max-age=")
    expect(page.locator("h1")).to_have_text("How long does a cold last?")
    expect(page.locator(".answer__body")).to_contain_text("About a week.")
    page.wait_for_function("() => typeof window.htmx === 'object'")
    assert problems == []


def test_a_revalidated_page_is_shown_from_the_browser_cache(
    live_server, browser: Browser, log_lines
):
    """A reload makes Chromium ask with If-None-Match; it shows its own copy
    on the 304, and no violation either way."""
    # given
    QuestionFactory(title="Does zinc shorten a cold?")
    page = browser.new_page()
    problems = _watch(page)
    page.goto(live_server.url + "/")

    # when
    page.reload()

    # then
    home = [
        line["status"]
        for line in log_lines()
        if line["logger"] == "askwell.access" and line["path"] == "/"
    ]
    assert home == [200, 304]
    expect(page.get_by_text("Does zinc shorten a cold?").first).to_be_visible()
    assert problems == []
