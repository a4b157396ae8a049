"""Signing in through the real sign-in page, for the Playwright tests."""

from __future__ import annotations

from playwright.sync_api import Page, expect

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
