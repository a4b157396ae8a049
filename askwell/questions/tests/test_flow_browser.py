"""The whole contribution flow in a real Chromium, as people would do it.

A reader signs up and verifies their email (the link read from the test
mail outbox), asks a question while similar answered questions are shown,
two verified experts answer (one with a reference), the asker sees the
notification, another reader marks an answer helpful, an expert endorses it,
and the page shows the new order and counts.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from askwell.accounts.tests.browser import sign_in
from askwell.accounts.tests.factories import UserFactory
from askwell.demo.loader import load_demo_content
from askwell.experts.tests.factories import ContributorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Can plasma exchange help multiple sclerosis relapses?"


def _answer(
    page: Page, base: str, question_url: str, body: str, references: str = ""
) -> None:
    page.goto(base + question_url)
    page.get_by_role("link", name="Answer this question").click()
    page.get_by_label("Your answer").fill(body)
    # The live preview shows the reading level while writing.
    expect(page.locator("#preview-live")).to_contain_text("Reading level")
    if references:
        page.get_by_label("References").fill(references)
    page.get_by_role("button", name="Publish answer").click()
    expect(page.locator(".messages")).to_contain_text("Your answer is published.")


def test_sign_up_ask_answer_notify_helpful_endorse(live_server, browser: Browser):
    # given: the demo content (for similar questions) and the cast
    load_demo_content()
    base = live_server.url
    okafor = UserFactory(username="drokafor")
    ContributorFactory(user=okafor, name="Samuel Okafor", credentials="MD")
    delgado = UserFactory(username="nursedelgado")
    ContributorFactory(user=delgado, name="Maria Delgado", credentials="RN")
    UserFactory(username="helpfulreader")
    asker_page = browser.new_page()

    # when: a reader signs up and follows the link in the email
    asker_page.goto(base + "/accounts/signup/")
    asker_page.get_by_label("Username").fill("newreader")
    asker_page.get_by_label("Email address").fill("newreader@example.org")
    asker_page.get_by_label("Password", exact=True).fill("a long enough pass phrase 42")
    asker_page.get_by_label("Password again").fill("a long enough pass phrase 42")
    asker_page.get_by_role("button", name="Create account").click()
    expect(asker_page.locator("h1")).to_contain_text("Check your email")
    link = re.search(r"https?://\S+/accounts/verify/\S+", mail.outbox[-1].body).group()
    asker_page.goto(link.replace("http://testserver", base))
    expect(asker_page.get_by_role("link", name="newreader")).to_be_visible()

    # ...asks, seeing similar answered questions while typing
    asker_page.goto(base + "/questions/ask/")
    asker_page.get_by_label("Your question").press_sequentially(TITLE, delay=5)
    similar = asker_page.locator("#similar-live")
    expect(
        similar.get_by_role("heading", name="Already answered — these may help")
    ).to_be_visible()
    expect(
        similar.get_by_role("link", name=re.compile("plasmapheresis", re.I))
    ).to_be_visible()
    asker_page.get_by_role("button", name="Post your question").click()
    expect(asker_page.locator("h1")).to_have_text(TITLE)
    question_url = asker_page.url.removeprefix(base)

    # ...two verified experts answer, one citing a DOI
    expert_page = browser.new_page()
    sign_in(expert_page, base, "drokafor")
    _answer(
        expert_page,
        base,
        question_url,
        "Plasma exchange can help a severe relapse that did not get better with "
        "steroids. It is not used for everyday treatment of MS.",
        "doi:10.1000/ms-relapse-2021 | A trial of plasma exchange in relapses",
    )
    second_page = browser.new_page()
    sign_in(second_page, base, "nursedelgado")
    _answer(
        second_page,
        base,
        question_url,
        "Ask the neurologist whether the relapse is severe enough. Plasma exchange "
        "takes several sessions in hospital over about two weeks.",
    )

    # then: the asker is told
    asker_page.goto(base + question_url)
    badge = asker_page.get_by_role("link", name=re.compile(r"Notifications \(2\)"))
    expect(badge).to_be_visible()
    badge.click()
    expect(asker_page.locator("main")).to_contain_text(
        f"Samuel Okafor, MD answered “{TITLE}”"
    )

    # when: a reader marks Dr Okafor's answer helpful (htmx, no reload)
    reader_page = browser.new_page()
    sign_in(reader_page, base, "helpfulreader")
    reader_page.goto(base + question_url)
    answers = reader_page.locator("article.answer")
    # Newest first while nothing sets them apart: the nurse's answer leads.
    expect(answers.first).to_contain_text("Maria Delgado, RN")
    okafor_answer = answers.filter(has_text="Samuel Okafor, MD")
    okafor_answer.get_by_role("button", name="Helpful").click()
    expect(okafor_answer.locator(".helpful__count")).to_have_text(
        "1 found this helpful"
    )

    # ...and the other expert endorses it with a reason
    second_page.goto(base + question_url)
    second_page.locator("article.answer", has_text="Samuel Okafor, MD").get_by_role(
        "link", name="Endorse or dispute"
    ).click()
    second_page.get_by_label("Why").fill("Matches what we see on the infusion unit.")
    second_page.get_by_role("button", name="Save").click()

    # then: the page shows the new order and the counts
    reader_page.goto(base + question_url)
    answers = reader_page.locator("article.answer")
    expect(answers.first).to_contain_text("Samuel Okafor, MD")
    expect(answers.first.locator(".helpful__count")).to_have_text(
        "1 found this helpful"
    )
    expect(answers.first.locator(".endorsements")).to_contain_text(
        "Endorsed by 1 expert"
    )
    expect(
        answers.first.get_by_role("link", name="A trial of plasma exchange in relapses")
    ).to_have_attribute("href", "https://doi.org/10.1000/ms-relapse-2021")
    expect(answers.nth(1)).to_contain_text("Maria Delgado, RN")
