"""The API docs page (Swagger UI, served from this site) renders in a real
Chromium under the site's Content-Security-Policy, with no violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from askwell.core.tests.test_security_browser import _watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_docs_page_renders_every_endpoint_under_the_policy(
    live_server, browser: Browser
):
    # given
    page = browser.new_page()
    problems = _watch(page)

    # when
    response = page.goto(live_server.url + "/api/v1/docs")

    # then
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Askwell API")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/questions/{question_id}" in [p.strip() for p in paths]
    assert problems == []
