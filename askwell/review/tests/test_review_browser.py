"""Medical review in a real Chromium: an expert's new answer shows as not yet
reviewed, a reviewer approves it from the queue, and the question page then
says who reviewed it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from askwell.accounts.tests.browser import sign_in
from askwell.accounts.tests.factories import EditorFactory, UserFactory
from askwell.experts.tests.factories import ContributorFactory
from askwell.questions import actions
from askwell.questions.tests.factories import QuestionFactory
from askwell.review.actions import ensure_reviewers_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
