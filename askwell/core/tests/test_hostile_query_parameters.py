"""Every string of the Big List of Naughty Strings (askwell/testing/data/)
as every query parameter of the pages that read one: never a server error (a clear page, an empty result or
a 404 for a page number that is not one)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from askwell.accounts.tests.factories import UserFactory
from askwell.review.actions import ensure_reviewers_group
from askwell.testing.datasets import naughty_strings
from askwell.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


# One page per kind of parameter handling: pagination (shared by every list),
# search filters, sort orders, queue and log filters, the API.
PAGES = {
    "questions:list": ["page"],
    "search": ["q", "topic", "type", "kind", "page"],
    "search-similar": ["title"],
    "questions:suggest-topics": ["topics", "find"],
    "topics:detail": ["sort"],
    "sitemap": ["p"],
    "sitemap-section": ["p"],
    "review:queue": ["topic", "specialty"],
    "moderation:flags": ["reason", "kind"],
    "moderation:audit": ["action", "actor", "type", "since"],
    "/api/v1/search": ["q", "limit"],
    "experts:for_you": ["show", "topic"],
}
ARGS = {"topics:detail": ["gout"], "sitemap-section": ["questions"]}
# One test per parameter, each trying every string, so that parallel test
# workers can share them out.
PARAMETERS = [(route, name) for route, names in PAGES.items() for name in names]


@pytest.mark.parametrize(
    ("route", "name"), PARAMETERS, ids=[f"{r}-{n}" for r, n in PARAMETERS]
)
def test_query_parameters_never_cause_a_server_error(
    request, client, settings, route, name
):
    # given: an editor who may open every list (an expert for the expert's
    # home), and a topic page; search without the embedding model (the
    # search tests cover it with the model)
    settings.ASKWELL_EMBEDDING_MODEL = "none"
    editor = UserFactory(is_superuser=True, is_staff=True)
    editor.groups.add(
        Group.objects.get_or_create(name="Editors")[0], ensure_reviewers_group()
    )
    client.force_login(
        request.getfixturevalue("expert") if route == "experts:for_you" else editor
    )
    TopicFactory(slug="gout")
    path = route if route.startswith("/") else reverse(route, args=ARGS.get(route, []))

    # the page opens for this visitor: the strings reach its parameters
    assert client.get(path, {name: "1"}).status_code not in (302, 401, 403)

    # when / then
    errors = []
    for text in naughty_strings():
        response = client.get(path, {name: text})
        if response.status_code >= 500:
            errors.append((path, name, text, response.status_code))
    assert errors == []
