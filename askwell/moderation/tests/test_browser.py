"""In a real Chromium: a reader reports an answer, an editor hides it from the
flag queue, the reader no longer sees it, the editor restores it and reads
both decisions in the audit log, reached through the header's editor menu."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, expect

from askwell.accounts.tests.browser import sign_in
from askwell.accounts.tests.factories import EditorFactory, UserFactory
from askwell.experts.tests.factories import ContributorFactory
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = "Take the tablets with food to spare your stomach."
# axe-core rule tags for WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def test_report_hide_and_restore_an_answer(live_server, browser: Browser):
    # given
    base = live_server.url
    expert = UserFactory(username="drkim")
    contributor = ContributorFactory(user=expert, name="Dana Kim", credentials="PharmD")
    question = QuestionFactory(title="Should ibuprofen be taken with food?")
    AnswerFactory(question=question, contributor=contributor, author=expert, body=BODY)
    UserFactory(username="carefulreader")
    EditorFactory(username="chiefeditor")
    url = base + question.get_absolute_url()

    # when: a reader reports the answer
    reader = browser.new_page()
    sign_in(reader, base, "carefulreader")
    reader.goto(url)
    expect(reader.locator("article.answer")).to_contain_text(BODY)
    reader.get_by_role("link", name="Report this answer").click()
    reader.get_by_label("Harmful or false health claim").check()
    reader.get_by_label("Anything the editors should know").fill(
        "Wrong advice for ulcers"
    )
    reader.get_by_role("button", name="Send report").click()
    expect(reader.locator(".messages")).to_contain_text("the editors will look")

    # ...and an editor hides it from the flag queue
    editor = browser.new_page()
    sign_in(editor, base, "chiefeditor")
    editor.goto(base + "/moderation/flags/")
    item = editor.locator(".flag-item").filter(has_text="Wrong advice for ulcers")
    expect(item).to_contain_text("Harmful or false health claim")
    item.get_by_label("Reason").fill("Unsafe for people with ulcers")
    item.get_by_role("button", name="Hide").click()
    expect(editor.locator(".messages")).to_contain_text("The answer is hidden.")
    expect(editor.locator(".empty")).to_contain_text("No open reports")

    # then: the reader no longer sees it
    reader.goto(url)
    expect(reader.locator("h1")).to_have_text(question.title)
    expect(reader.get_by_text(BODY)).to_have_count(0)

    # when: the editor restores it from the hidden and deleted content
    editor.get_by_role("link", name="Hidden and deleted content", exact=True).click()
    removed = editor.locator(".removed-item").filter(has_text="Dana Kim")
    removed.get_by_label("Reason").fill("Checked: the advice is sound")
    removed.get_by_role("button", name="Restore").click()
    expect(editor.locator(".messages")).to_contain_text("The answer is restored.")

    # then: readers see it again
    reader.goto(url)
    expect(reader.locator("article.answer")).to_contain_text(BODY)

    # and the editor finds both decisions in the audit log, in words,
    # through the header's editor menu
    editor.locator(".editor-menu summary").click()
    editor.get_by_role("navigation", name="Editor").get_by_role(
        "link", name="Audit log"
    ).click()
    log = editor.locator("main")
    expect(log).to_contain_text("hid an answer")
    expect(log).to_contain_text("restored an answer")
    expect(log).to_contain_text("Status: Published → Hidden")
    expect(log).to_contain_text("chiefeditor")

    # and the log page has no serious or critical accessibility violation,
    # nor has the editor menu once open (checked on its own: open, it covers
    # the page below it, as a menu does)
    _assert_no_serious_violations(editor)
    editor.locator(".editor-menu summary").click()
    expect(editor.get_by_role("navigation", name="Editor")).to_be_visible()
    _assert_no_serious_violations(editor, context=".editor-menu")


def _assert_no_serious_violations(page, context=None):
    results = Axe().run(
        page, context, options={"runOnly": {"type": "tag", "values": WCAG_AA}}
    )
    serious = [
        v
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], results.generate_report()
    assert results.response["testEngine"]["name"] == "axe-core"
