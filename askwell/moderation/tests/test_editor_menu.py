"""The header's editor menu: every editor page one click away, for editors
only, in markup that works without JavaScript and names itself to
assistive technology."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from askwell.accounts.tests.factories import PASSWORD
from askwell.review.actions import ensure_reviewers_group

pytestmark = pytest.mark.django_db

MODERATION_LINKS = {
    "experts:review_queue": "Expert applications",
    "moderation:flags": "Flags",
    "moderation:held": "Held questions",
    "moderation:removed": "Hidden and deleted content",
    "moderation:audit": "Audit log",
}
REVIEW_LINKS = {
    "review:queue": "Answers to review",
    "review:due": "Reviews due",
}


def _menu(client, path="/"):
    """The editor menu of the page at `path`, or None when it has none."""
    html = client.get(path).content.decode()
    found = re.search(r'<details class="editor-menu">.*?</details>', html, re.S)
    return found.group(0) if found else None


def _links(menu):
    return dict(re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', menu))


def test_a_reviewing_editor_sees_every_editor_page(client, editor):
    # given
    editor.groups.add(ensure_reviewers_group())
    client.login(username="editor", password=PASSWORD)

    # when
    menu = _menu(client)

    # then
    assert menu is not None
    expected = {**REVIEW_LINKS, **MODERATION_LINKS}
    assert _links(menu) == {reverse(name): text for name, text in expected.items()}


def test_an_editor_who_does_not_review_sees_no_review_queue(client, editor):
    client.login(username="editor", password=PASSWORD)

    menu = _menu(client)

    assert menu is not None
    assert _links(menu) == {
        reverse(name): text for name, text in MODERATION_LINKS.items()
    }


def test_the_menu_is_a_named_disclosure_without_javascript(client, editor):
    client.login(username="editor", password=PASSWORD)

    menu = _menu(client)

    assert "<summary>" in menu
    assert '<nav class="editor-menu__panel" aria-label="Editor">' in menu
    assert "<script" not in menu


def test_the_current_editor_page_is_marked(client, editor):
    client.login(username="editor", password=PASSWORD)

    menu = _menu(client, reverse("moderation:flags"))

    assert f'<a href="{reverse("moderation:flags")}" aria-current="page">' in menu


@pytest.mark.parametrize("who", ["anonymous", "stranger", "expert"])
def test_readers_and_experts_never_see_it(client, stranger, expert, who):
    if who != "anonymous":
        client.login(
            username={"stranger": "stranger", "expert": "drjane"}[who],
            password=PASSWORD,
        )

    html = client.get("/").content.decode()

    assert client.get("/").status_code == 200
    assert "editor-menu" not in html
    assert reverse("moderation:flags") not in html
