"""The saved questions page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from askwell.notifications.tests.factories import SavedQuestionFactory
from askwell.questions.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db

SAVED = reverse("notifications:saved")


def test_saved_questions_are_listed_newest_first_with_a_remove_button(
    client, reader, stranger
):
    # given
    now = timezone.now()
    older = QuestionFactory(title="Does caffeine affect sleep?")
    newer = QuestionFactory(title="Is napping healthy?")
    SavedQuestionFactory(
        user=reader, question=older, created_at=now - timedelta(days=2)
    )
    SavedQuestionFactory(user=reader, question=newer, created_at=now)
    SavedQuestionFactory(user=stranger, question=QuestionFactory(title="Not mine?"))
    client.force_login(reader)
    # when
    html = client.get(SAVED).content.decode()
    # then
    assert html.index("Is napping healthy?") < html.index("Does caffeine affect sleep?")
    assert "Not mine?" not in html
    unsave = reverse("notifications:unsave-question", kwargs={"slug": newer.slug})
    assert f'hx-post="{unsave}"' in html
    assert 'name="next" value="/notifications/saved/"' in html


def test_no_saved_questions_says_how_to_save(client, reader):
    client.force_login(reader)

    html = client.get(SAVED).content.decode()

    assert "No saved questions." in html


def test_signed_out_visitors_are_sent_to_sign_in(client, settings):
    settings.LOGIN_URL = "/accounts/login/"

    response = client.get(SAVED)

    assert response["Location"] == "/accounts/login/?next=/notifications/saved/"


@pytest.mark.parametrize("count", [2, 15])
def test_saved_page_query_budget_is_flat(
    client, reader, django_assert_num_queries, count
):
    """1 the session, 2 the user, 3 the page count, 4 the saved questions
    with their questions, 5 the user's groups (the header's editor menu:
    are they an editor?), 6 the contributors they sign as (the header's
    expert links: are they an expert?), 7 the header's unread count."""
    # given
    SavedQuestionFactory.create_batch(count, user=reader)
    client.force_login(reader)
    # when
    with django_assert_num_queries(7):
        response = client.get(SAVED)
    # then
    assert len(response.context["page"].object_list) == count
