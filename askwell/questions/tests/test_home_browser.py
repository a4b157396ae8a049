"""An expert's home in a real Chromium, on a desktop and a phone: For you
from the header leads to the answer form; a reviewer's request for changes
reaches the inbox and leads to the edit form with the note; My answers
shows it. For you, My answers, My questions and the inbox have no serious
or critical accessibility violation."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, expect

from askwell.accounts.tests.browser import header_link, sign_in
from askwell.accounts.tests.factories import EditorFactory, UserFactory
from askwell.experts.tests.factories import ContributorFactory
from askwell.questions import actions as question_actions
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory
from askwell.review import actions as review_actions
from askwell.topics.tests.factories import TopicFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# axe-core rule tags for WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
NOTE = "Say how soon after the stent flying is safe."


@pytest.mark.parametrize(
    "viewport",
    [{"width": 1280, "height": 800}, {"width": 390, "height": 844}],
    ids=["desktop", "phone"],
)
def test_an_expert_finds_a_question_and_hears_of_its_review(
    live_server, browser: Browser, viewport
):
    # given: a cardiologist, a heart question nobody answered, and a topic
    # that another cardiologist answered under
    expert = UserFactory(username="drheart")
    ContributorFactory(
        user=expert, name="Hana Heart", credentials="MD", specialty="Cardiology"
    )
    heart = TopicFactory(name="Heart health", slug="heart-health")
    AnswerFactory(
        question=QuestionFactory(title="Is a statin for life?", topics=[heart]),
        contributor=ContributorFactory(specialty="Cardiology"),
    )
    question = QuestionFactory(
        title="Can I fly after a stent?", status="open", topics=[heart]
    )
    QuestionFactory(title="Is my pulse too fast?", status="open", asker=expert)
    reviewer = EditorFactory(username="reviewer")
    ContributorFactory(user=reviewer, name="Rita Review", credentials="MD")
    reviewer.groups.add(review_actions.ensure_reviewers_group())
    base = live_server.url
    page = browser.new_page(viewport=viewport)
    sign_in(page, base, "drheart")

    # when: For you, from the header
    header_link(page, "For you").click()

    # then: the question waits there, with a way to answer it
    expect(page.get_by_role("heading", name="For you", level=1)).to_be_visible()
    item = page.locator(".question-item", has_text="Can I fly after a stent?")
    expect(item).to_contain_text("Heart health")
    _assert_no_serious_violations(page)
    item.get_by_role("link", name="Answer “Can I fly after a stent?”").click()
    expect(page.get_by_role("heading", name="Answer this question")).to_be_visible()

    # when: their answer is posted and a reviewer asks for changes
    answer = question_actions.post_answer(
        expert, question, contributor=expert.contributor, body="Usually after a week."
    )
    review_actions.request_changes(reviewer, answer, note=NOTE)
    header_link(page, re.compile("^Notifications")).click()

    # then: the inbox says so and leads to the edit form with the note
    notification = page.get_by_role(
        "link", name="A medical reviewer asked for changes to your answer"
    )
    expect(notification).to_contain_text(NOTE)
    _assert_no_serious_violations(page)
    # The link wraps over two lines: the middle of its box may fall between
    # them, so click its first word.
    notification.click(position={"x": 5, "y": 5})
    expect(page.get_by_role("heading", name="Edit your answer")).to_be_visible()
    expect(page.locator("#review-note-heading + p")).to_have_text(NOTE)

    # and My answers shows where the answer stands, with the note
    page.goto(base + "/experts/answers/")
    row = page.locator(".question-item", has_text="Can I fly after a stent?")
    expect(row).to_contain_text("Changes requested")
    expect(row).to_contain_text(NOTE)
    _assert_no_serious_violations(page)

    # and My questions lists what they asked
    page.goto(base + "/questions/mine/")
    expect(page.locator(".question-item")).to_contain_text("Is my pulse too fast?")
    _assert_no_serious_violations(page)


def _assert_no_serious_violations(page):
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    serious = [
        v
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], results.generate_report()
    assert results.response["testEngine"]["name"] == "axe-core"
