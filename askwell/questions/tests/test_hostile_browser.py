"""Every string of the naughty-strings list (askwell/testing/data/blns.json),
shown on the pages that display user content, in a real Chromium: no dialog
opens, no script error, no console error (a page-level hook records them
all)."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from playwright.sync_api import Browser

from askwell.accounts.tests.factories import UserFactory
from askwell.questions.models import Comment, Question, Revision
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory
from askwell.search.indexing import index_answers
from askwell.testing.datasets import naughty_strings
from askwell.topics.tests.factories import TopicFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHUNK = 60


def _strings() -> list[str]:
    return [s for s in naughty_strings() if s.strip()]


def test_hostile_content_runs_no_script_in_the_browser(live_server, browser: Browser):
    # given: the strings as titles, details, answers, comments and revisions
    strings = _strings()
    topic = TopicFactory(name="Hostile strings", slug="hostile-strings")
    asker = UserFactory()
    pages = []
    for n, start in enumerate(range(0, len(strings), CHUNK)):
        chunk = strings[start : start + CHUNK]
        question = QuestionFactory(
            title=f"{chunk[0][:250]}?",
            slug=f"hostile-{n}",
            details="\n\n".join(chunk),
            asker=asker,
            topics=[topic],
        )
        answer = AnswerFactory(question=question, body="\n\n".join(reversed(chunk)))
        Comment.objects.bulk_create(
            Comment(answer=answer, author=asker, body=text[:1000])
            for text in chunk[:20]
        )
        for i, text in enumerate(chunk[:5], 1):
            Revision.objects.create(
                question=question, answer=None, number=i, title=text[:300], body=text
            )
        pages += [question.get_absolute_url(), f"/questions/{question.slug}/history/"]
    for text in strings[:40]:
        QuestionFactory(title=text[:290], topics=[topic])
    index_answers(Question.objects.values_list("answers__pk", flat=True))
    pages += ["/", "/questions/", "/questions/?page=2", "/topics/hostile-strings/"]
    pages += [f"/search/?q={quote(text[:200])}" for text in strings[::25]]

    problems: list[str] = []
    page = browser.new_page()
    page.on(
        "dialog",
        lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()),
    )
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(f"console {message.type}: {message.text}")
            if message.type in ("error", "warning")
            else None
        ),
    )

    # when
    statuses = {}
    for path in pages:
        response = page.goto(live_server.url + path)
        statuses[path] = response.status if response else None

    # then
    assert problems == []
    assert {p: s for p, s in statuses.items() if s != 200} == {}
    # ...and the hooks do catch what they look for
    page.evaluate("() => { console.error('control'); alert('control'); }")
    assert problems == ["console error: control", "dialog: control"]
