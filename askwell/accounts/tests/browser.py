"""Signing in through the real sign-in page, for the Playwright tests."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from askwell.accounts.tests.factories import PASSWORD


def sign_in(page: Page, base: str, username: str) -> None:
    """Sign `username` (a factory user) in at `base` and wait for the header."""
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username or email address").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # In the header's account links, which a phone folds into the menu.
    expect(
        page.locator(".account-nav").get_by_role(
            "link", name=username, include_hidden=True
        )
    ).to_be_attached()


def open_header_menu(page: Page) -> None:
    """Open the header's menu where a phone folds the pages and the account
    links into it; on a wide screen they stand in the header already."""
    summary = page.locator("details.site-menu > summary")
    if summary.is_visible() and page.locator("details.site-menu[open]").count() == 0:
        summary.click()


def header_link(page: Page, name: str | re.Pattern[str]) -> Locator:
    """The header's link named `name` (exactly, when a string), shown."""
    open_header_menu(page)
    return page.locator("header.site-header").get_by_role(
        "link", name=name, exact=isinstance(name, str)
    )
