"""A page showing a message has no serious or critical axe-core violation
(the messages once broke the list semantics on every such page)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from askwell.accounts.tests.browser import sign_in
from askwell.accounts.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# axe-core rule tags for WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def test_a_page_with_a_message_has_no_serious_violations(live_server, page: Page):
    # given: a reader who signs out, and is told so
    UserFactory(username="reader")
    sign_in(page, live_server.url, "reader")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status")).to_contain_text("You are signed out.")

    # when
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})

    # then
    serious = [
        v
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], results.generate_report()
    assert results.response["testEngine"]["name"] == "axe-core"
