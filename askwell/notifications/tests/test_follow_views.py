"""Follow, unfollow, save and unsave buttons: plain POST forms, htmx when it is there."""

from __future__ import annotations

import pytest
from django.urls import reverse

from askwell.notifications.models import QuestionFollow, SavedQuestion, TopicFollow
from askwell.notifications.tests.factories import (
    QuestionFollowFactory,
    SavedQuestionFactory,
    TopicFollowFactory,
)
from askwell.questions.tests.factories import QuestionFactory
from askwell.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def question():
    return QuestionFactory(slug="is-ms-inherited", title="Is MS inherited?")


@pytest.fixture
def topic():
    return TopicFactory(slug="sleep", name="Sleep")


def test_following_a_question_without_javascript_goes_back_with_a_message(
    client, reader, question
):
    # given
    client.force_login(reader)
    # when
    response = client.post(
        reverse("notifications:follow-question", kwargs={"slug": question.slug}),
        {"next": "/questions/is-ms-inherited/?from=list"},
        follow=True,
    )
    # then
    assert response.redirect_chain == [("/questions/is-ms-inherited/?from=list", 302)]
    assert QuestionFollow.objects.get().user == reader
    assert [str(m) for m in response.context["messages"]] == [
        "You will hear about answers and changes to this question."
    ]


def test_following_a_question_with_htmx_returns_the_unfollow_button(
    client, reader, question
):
    # given
    client.force_login(reader)
    # when
    response = client.post(
        reverse("notifications:follow-question", kwargs={"slug": question.slug}),
        {"next": "/questions/is-ms-inherited/"},
        **HTMX,
    )
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith('<form class="follow-form"')
    assert 'hx-post="/notifications/questions/is-ms-inherited/unfollow/"' in html
    assert 'hx-swap="outerHTML"' in html
    assert ">Unfollow question</button>" in html
    assert 'name="next" value="/questions/is-ms-inherited/"' in html
    assert "csrfmiddlewaretoken" in html
    assert QuestionFollow.objects.get().user == reader


def test_unfollowing_a_question_with_htmx_returns_the_follow_button(
    client, reader, question
):
    # given
    QuestionFollowFactory(user=reader, question=question)
    client.force_login(reader)
    # when
    response = client.post(
        reverse("notifications:unfollow-question", kwargs={"slug": question.slug}),
        **HTMX,
    )
    # then
    html = response.content.decode()
    assert 'hx-post="/notifications/questions/is-ms-inherited/follow/"' in html
    assert ">Follow question</button>" in html
    assert not QuestionFollow.objects.exists()


def test_saving_and_unsaving_a_question(client, reader, question):
    # given
    client.force_login(reader)
    save = reverse("notifications:save-question", kwargs={"slug": question.slug})
    unsave = reverse("notifications:unsave-question", kwargs={"slug": question.slug})
    # when
    saved_html = client.post(save, **HTMX).content.decode()
    saved_rows = list(SavedQuestion.objects.values_list("user", "question"))
    unsaved = client.post(unsave)
    # then
    assert saved_rows == [(reader.pk, question.pk)]
    assert f'hx-post="{unsave}"' in saved_html
    assert "Remove from saved" in saved_html
    assert unsaved.status_code == 302
    assert unsaved["Location"] == question.get_absolute_url()
    assert not SavedQuestion.objects.exists()


def test_following_and_unfollowing_a_topic(client, reader, topic):
    # given
    client.force_login(reader)
    follow = reverse("notifications:follow-topic", kwargs={"slug": topic.slug})
    unfollow = reverse("notifications:unfollow-topic", kwargs={"slug": topic.slug})
    # when
    followed_html = client.post(follow, **HTMX).content.decode()
    follows = list(TopicFollow.objects.values_list("user", "topic"))
    unfollowed = client.post(unfollow, {"next": "/topics/sleep/"})
    # then
    assert follows == [(reader.pk, topic.pk)]
    assert f'hx-post="{unfollow}"' in followed_html
    assert ">Unfollow Sleep</button>" in followed_html
    assert unfollowed["Location"] == "/topics/sleep/"
    assert not TopicFollow.objects.exists()


def test_a_next_off_site_falls_back_to_the_page_itself(client, reader, question):
    # given
    client.force_login(reader)
    # when
    response = client.post(
        reverse("notifications:follow-question", kwargs={"slug": question.slug}),
        {"next": "https://evil.example/"},
    )
    # then
    assert response["Location"] == question.get_absolute_url()


@pytest.mark.parametrize(
    "name", ["follow-question", "unfollow-question", "save-question", "unsave-question"]
)
def test_signed_out_visitors_cannot_change_question_follows(
    client, question, name, reader
):
    # given
    QuestionFollowFactory(question=question, user=reader)
    SavedQuestionFactory(question=question, user=reader)
    # when
    response = client.post(
        reverse(f"notifications:{name}", kwargs={"slug": question.slug})
    )
    # then
    assert response.status_code == 403
    assert list(QuestionFollow.objects.values_list("user", flat=True)) == [reader.pk]
    assert list(SavedQuestion.objects.values_list("user", flat=True)) == [reader.pk]


@pytest.mark.parametrize("name", ["follow-topic", "unfollow-topic"])
def test_signed_out_visitors_cannot_change_topic_follows(client, topic, name, reader):
    # given
    TopicFollowFactory(topic=topic, user=reader)
    # when
    response = client.post(
        reverse(f"notifications:{name}", kwargs={"slug": topic.slug})
    )
    # then
    assert response.status_code == 403
    assert list(TopicFollow.objects.values_list("user", flat=True)) == [reader.pk]


def test_follow_buttons_only_accept_post(client, reader, question):
    # given
    client.force_login(reader)
    # when
    response = client.get(
        reverse("notifications:follow-question", kwargs={"slug": question.slug})
    )
    # then
    assert response.status_code == 405
    assert not QuestionFollow.objects.exists()


def test_following_an_unknown_question_is_404(client, reader):
    client.force_login(reader)

    response = client.post(
        reverse("notifications:follow-question", kwargs={"slug": "no-such-question"})
    )

    assert response.status_code == 404
