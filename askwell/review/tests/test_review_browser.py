"""Medical review in a real Chromium: an expert's new answer shows as not yet
reviewed, a reviewer approves it from the queue, and the question page then
says who reviewed it; the review page of a new version, on a desktop and a
phone, reads by its headings and has no serious accessibility violation."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from askwell.accounts.tests.browser import sign_in
from askwell.accounts.tests.factories import EditorFactory, UserFactory
from askwell.experts.tests.factories import ContributorFactory
from askwell.questions import actions
from askwell.questions.actions import ReferenceData
from askwell.questions.tests.factories import QuestionFactory
from askwell.review.actions import approve_answer, ensure_reviewers_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Screenshots for people to look at (CI keeps test-artifacts/).
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
}
# axe-core rule tags for WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def test_reviewer_approves_an_answer_from_the_queue(live_server, browser: Browser):
    # given: a verified expert's answer, pending review
    author = UserFactory(username="drauthor")
    ContributorFactory(user=author, name="Ada Author", credentials="MD")
    question = QuestionFactory(title="Does rest help a gout flare?", status="open")
    actions.post_answer(
        author,
        question,
        contributor=author.contributor,
        body="Rest the joint and keep it cool; most flares settle in a week or two.",
    )
    reviewer = EditorFactory(username="reviewer")
    ContributorFactory(user=reviewer, name="Rita Review", credentials="MD, PhD")
    reviewer.groups.add(ensure_reviewers_group())
    base = live_server.url
    reader = browser.new_page()
    reader.goto(base + question.get_absolute_url())
    expect(reader.locator("article.answer")).to_contain_text(
        "Not yet medically reviewed"
    )

    # when: the reviewer works the queue
    page = browser.new_page()
    sign_in(page, base, "reviewer")
    page.goto(base + "/review/")
    page.get_by_role("link", name="Does rest help a gout flare?").click()
    page.get_by_label("Approved").check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".messages")).to_contain_text("Your decision is recorded")
    expect(page.locator("main")).to_contain_text("Nothing waits for review")

    # then
    reader.reload()
    answer = reader.locator("article.answer")
    expect(answer).to_contain_text("Medically reviewed by Rita Review, MD, PhD on")
    expect(answer).not_to_contain_text("Not yet medically reviewed")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_review_page_of_a_new_version_reads_by_its_headings(
    live_server, page: Page, viewport
):
    # given: approved words, and a new version waiting for review
    author = UserFactory(username="drauthor")
    ContributorFactory(user=author, name="Ada Author", credentials="MD")
    question = QuestionFactory(
        title="Does rest help a gout flare?", details="My toe is *swollen*."
    )
    answer = actions.post_answer(
        author,
        question,
        contributor=author.contributor,
        body="Rest the joint and keep it cool; most flares settle in a week.",
        references=[ReferenceData(url="https://example.org/gout", title="Gout")],
        stance="supports",
    )
    reviewer = EditorFactory(username="reviewer")
    ContributorFactory(user=reviewer, name="Rita Review", credentials="MD")
    reviewer.groups.add(ensure_reviewers_group())
    approve_answer(reviewer, answer)
    actions.edit_answer(
        author,
        answer,
        body="Rest the joint and keep it cool; many flares settle in days.",
        references=[ReferenceData(url="https://example.org/gout", title="Gout")],
        stance="supports",
    )
    page.set_viewport_size(VIEWPORTS[viewport])

    # when
    sign_in(page, live_server.url, "reviewer")
    page.goto(live_server.url + f"/review/answers/{answer.pk}/")

    # then: each part under its heading, inside the main landmark
    main = page.get_by_role("main")
    for name in (
        "Review an answer",
        "The question",
        "The answer’s new version",
        "References",
        "What changed",
        "Your decision",
        "Earlier reviews",
    ):
        expect(main.get_by_role("heading", name=name, exact=True)).to_be_visible()
    diff = main.locator("pre.diff")
    expect(diff.locator("del")).to_have_text(["[removed: most]", "[removed: a week.]"])
    expect(diff.locator("ins")).to_have_text(["[added: many]", "[added: days.]"])
    # nothing sticks out sideways on a phone
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"review-{viewport}.png", full_page=True)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    serious = [
        v
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], results.generate_report()
    assert results.response["testEngine"]["name"] == "axe-core"
