"""The messages a page shows after an action ("You are signed out."): a
status region screen readers announce, around a plain list, so the list
keeps its semantics (axe-core's `listitem` rule: an element with a role
other than list on the <ul> makes its <li> orphans)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from askwell.accounts.tests.factories import PASSWORD, UserFactory
from askwell.lib import limits

pytestmark = pytest.mark.django_db


def _signed_out_page(client) -> str:
    UserFactory(username="reader")
    client.login(username="reader", password=PASSWORD)
    response = client.post(reverse("accounts:logout"), follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_messages_are_a_plain_list_inside_a_status_region(client):
    html = _signed_out_page(client)

    region = re.search(
        r'<div class="messages" role="status">\s*<ul>\s*(.*?)\s*</ul>\s*</div>',
        html,
        re.S,
    )
    assert region is not None, html
    assert region.group(1) == (
        '<li class="message message--success">You are signed out.</li>'
    )


def test_no_list_on_a_message_page_carries_a_role(client):
    html = _signed_out_page(client)

    assert "You are signed out." in html
    assert re.findall(r"<(?:ul|ol)\b[^>]*\brole=", html) == []


def test_a_refused_search_announces_its_error_around_a_plain_list(client):
    response = client.get(reverse("search"), {"q": "x" * (limits.SEARCH_QUERY + 1)})

    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert re.search(
        r'<div id="search-q-errors" role="alert"><ul class="field__errors"><li>', html
    )
    assert re.findall(r"<(?:ul|ol)\b[^>]*\brole=", html) == []
