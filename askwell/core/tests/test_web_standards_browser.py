"""JSON-LD and page tags in a real Chromium: the data parses as the browser
sees it, stays data (the CSP reports nothing, nothing runs), and a hostile
title cannot end the script element."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from askwell.core.templatetags.page_meta import describe
from askwell.core.tests.test_security_browser import _watch
from askwell.experts.tests.factories import ContributorFactory, OrganizationFactory
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory
from askwell.testing.datasets import naughty_strings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The blns strings that try hardest to end a <script> or run one.
HOSTILE = [s for s in naughty_strings() if "</script" in s.lower() or "<!--" in s][:6]
READ_JSON_LD = """() => [...document.querySelectorAll(
    'script[type="application/ld+json"]')].map(s => JSON.parse(s.textContent))"""


def test_hostile_titles_stay_data_in_the_browser(live_server, browser: Browser):
    # given: questions titled with script-ending strings, answered by a
    # person and an organization
    assert len(HOSTILE) >= 3
    doctor = ContributorFactory(name="Ana Ruiz", slug="ana-ruiz", credentials="MD")
    society = OrganizationFactory(slug="society")
    questions = []
    for n, title in enumerate(HOSTILE):
        question = QuestionFactory(title=title, slug=f"hostile-{n}")
        AnswerFactory(question=question, contributor=doctor, body=title)
        AnswerFactory(question=question, contributor=society)
        questions.append(question)
    page = browser.new_page()
    problems = _watch(page)
    page.on(
        "dialog",
        lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()),
    )
    page.add_init_script("window.ran = false")

    for question in questions:
        # when
        page.goto(live_server.url + question.get_absolute_url())
        (data,) = page.evaluate(READ_JSON_LD)

        # then
        assert data["@type"] == "QAPage"
        assert data["mainEntity"]["name"] == question.title
        assert [
            a["author"]["@type"] for a in data["mainEntity"]["suggestedAnswer"]
        ] == [
            "Person",
            "Organization",
        ]
        assert page.evaluate("window.ran") is False
        og_title = page.locator('meta[property="og:title"]').get_attribute("content")
        assert og_title == describe(question.title, 150)

    # when: a profile
    page.goto(live_server.url + "/contributors/ana-ruiz/")
    (profile,) = page.evaluate(READ_JSON_LD)

    # then
    assert profile["mainEntity"]["name"] == "Ana Ruiz"
    assert profile["mainEntity"]["hasOccupation"]["name"] == "Physician"
    assert problems == []
