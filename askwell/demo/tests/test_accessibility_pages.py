"""axe-core on the page types test_browser.py's per-page scan does not open:
the lists, the account pages, the writing pages and every editor's page,
each as the person who uses it, at both widths (WCAG 2.x A and AA: no
serious or critical violation).

One test per person and width visits all of their pages, so the demo is
loaded once for many pages.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Browser

from askwell.accounts.models import User
from askwell.demo.accounts import ACCOUNTS, ensure_demo_accounts
from askwell.demo.loader import load_demo_content
from askwell.experts.models import Contributor, CredentialApplication
from askwell.questions import actions as question_actions
from askwell.questions.models import Answer, Question
from askwell.topics.models import Topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
}
# axe-core rule tags for WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PASSWORDS = {account.username: account.password for account in ACCOUNTS}
DEMO_QUESTION = "can-plasmapheresis-help-treat-multiple-sclerosis-ms"


def _reader_pages() -> dict[str, str]:
    answer = Answer.objects.published().filter(question__slug=DEMO_QUESTION).first()
    assert answer is not None
    topic = Topic.objects.filter(children__isnull=False).first()
    assert topic is not None
    return {
        "question list": reverse("questions:list"),
        "topic directory": reverse("topics:directory"),
        "subtopics": reverse("topics:subtopics", kwargs={"slug": topic.slug}),
        "experts": "/contributors/",
        "videos": reverse("experts:videos"),
        "answer history": reverse("questions:answer-history", args=[answer.pk]),
        "sign-up": reverse("accounts:signup"),
        "password reset": reverse("accounts:password_reset"),
    }


def _signed_in_pages() -> dict[str, str]:
    waiting = (
        Question.objects.visible().filter(answers__isnull=True).order_by("pk").first()
    )
    assert waiting is not None
    return {
        "inbox": reverse("notifications:inbox"),
        "notification settings": reverse("notifications:preferences"),
        "saved questions": reverse("notifications:saved"),
        "my questions": reverse("questions:mine"),
        "for you": reverse("experts:for_you"),
        "my answers": reverse("experts:my_answers"),
        "answer form": reverse("questions:answer", args=[waiting.slug]),
        "data export and deletion": reverse("moderation:delete-account"),
    }


def _editor_pages() -> dict[str, str]:
    expert = User.objects.get(username="drokafor")
    answer = Answer.objects.filter(contributor=expert.contributor).first()
    assert answer is not None
    question_actions.edit_answer(
        expert, answer, body=answer.body + "\n\nAsk your neurologist first."
    )
    application = CredentialApplication.objects.pending().first()
    assert application is not None
    return {
        "review queue": reverse("review:queue"),
        "reviews due": reverse("review:due"),
        "review page": reverse("review:answer", args=[answer.pk]),
        "expert applications": reverse("experts:review_queue"),
        "an application": reverse("experts:application", args=[application.pk]),
        "flags": reverse("moderation:flags"),
        "held questions": reverse("moderation:held"),
        "hidden and deleted": reverse("moderation:removed"),
        "audit log": reverse("moderation:audit"),
        "organization members": reverse(
            "experts:members",
            kwargs={"slug": Contributor.objects.organizations().first().slug},
        ),
    }


PEOPLE = {
    "reader": (None, _reader_pages),
    "expert": ("drokafor", _signed_in_pages),
    "editor": ("editor", _editor_pages),
}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_page_type_has_no_serious_accessibility_violations(
    live_server, browser: Browser, person, viewport
):
    # given: the demo, and the person signed in
    load_demo_content()
    ensure_demo_accounts()
    username, pages = PEOPLE[person]
    urls = pages()
    page = browser.new_context(viewport=VIEWPORTS[viewport]).new_page()
    if username is not None:
        page.goto(live_server.url + reverse("accounts:login"))
        page.get_by_label("Username or email").fill(username)
        page.get_by_label("Password").fill(PASSWORDS[username])
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

    # when: axe reads each page
    found = {}
    for name, path in urls.items():
        response = page.goto(live_server.url + path)
        assert response is not None
        assert response.status == 200, (name, path, response.status)
        results = Axe().run(
            page, options={"runOnly": {"type": "tag", "values": WCAG_AA}}
        )
        # the scan really ran: axe reports the rules it passed
        assert results.response["passes"], name
        serious = [
            f"{v['id']}: {v['help']} ({len(v['nodes'])} elements)"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if serious:
            found[name] = serious

    # then
    assert found == {}
