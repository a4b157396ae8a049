"""Every string of ../shared/data/blns.json as every query parameter of the
pages that read one: never a server error (a clear page, an empty result or
a 404 for a page number that is not one)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from askwell.accounts.tests.factories import UserFactory
from askwell.review.permissions import reviewers_group
from askwell.testing.datasets import naughty_strings
from askwell.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def strings() -> list[str]:
    return naughty_strings()


def test_query_parameters_never_cause_a_server_error(client, settings, strings):
    # given: an editor who may open every list, and a topic page; search
    # without the embedding model (the search tests cover it with the model)
    settings.ASKWELL_EMBEDDING_MODEL = "none"
    editor = UserFactory(is_superuser=True, is_staff=True)
    editor.groups.add(Group.objects.get_or_create(name="Editors")[0], reviewers_group())
    client.force_login(editor)
    topic = TopicFactory(slug="gout")
    # One page per kind of parameter handling: pagination (shared by every
    # list), search filters, sort orders, queue and log filters, the API.
    pages = {
        reverse("questions:list"): ["page"],
        reverse("search"): ["q", "topic", "type", "kind", "page"],
        reverse("search-similar"): ["title"],
        reverse("questions:suggest-topics"): ["topics"],
        reverse("topics:detail", args=[topic.slug]): ["sort"],
        reverse("sitemap"): ["p"],
        reverse("sitemap-section", args=["questions"]): ["p"],
        reverse("review:queue"): ["topic", "specialty"],
        reverse("moderation:flags"): ["reason", "kind"],
        reverse("moderation:audit"): ["action", "actor", "type", "since"],
        "/api/v1/search": ["q", "limit"],
    }

    # when / then
    errors = []
    for path, names in pages.items():
        for name in names:
            for text in strings:
                response = client.get(path, {name: text})
                if response.status_code >= 500:
                    errors.append((path, name, text, response.status_code))
    assert errors == []
