"""Every reader has a way in to Ask: the header on every page, a topic's
page (the topic chosen), a question's page; signed out, through sign-in or
sign-up and back to the form with the words they brought."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user

from askwell.accounts.models import User
from askwell.accounts.tests.factories import PASSWORD
from askwell.accounts.tests.helpers import link_in
from askwell.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

ASK = "/questions/ask/"
WORDS = "can I drink alcohol with tylenol & ibuprofen?"
ASK_WITH_WORDS = (
    f"{ASK}?title=can%20I%20drink%20alcohol%20with%20tylenol%20%26%20ibuprofen%3F"
)


def _title_value(html: str) -> str | None:
    match = re.search(r'<input[^>]*name="title"[^>]*value="([^"]*)"', html)
    return match and match.group(1)


# --- the header ---------------------------------------------------------------------


@pytest.mark.parametrize("signed_in", [False, True], ids=["signed-out", "signed-in"])
def test_the_header_offers_ask_a_question_to_everyone(client, asker, signed_in):
    # given
    if signed_in:
        client.force_login(asker)

    # when
    html = client.get("/").content.decode()

    # then
    header = html.split('<main id="main"', 1)[0]
    # "Ask" on a phone, the rest hidden from sight but not from its name
    links = re.findall(rf'<a [^>]*href="{ASK}">(.*?)</a>', header)
    assert [re.sub(r"<[^>]+>", "", text) for text in links] == ["Ask a question"]


def test_signing_in_returns_to_the_ask_form_with_the_words(client, asker):
    # given a signed-out reader who follows an Ask link with their words
    to_login = client.get(ASK_WITH_WORDS)
    assert to_login.status_code == 302
    login_page = client.get(to_login.url).content.decode()

    # when they sign in from that page (the form posts its hidden `next`)
    (next_url,) = re.findall(r'name="next" value="([^"]*)"', login_page)
    signed_in = client.post(
        "/accounts/login/",
        {
            "login": "asker",
            "password": PASSWORD,
            "next": next_url.replace("&amp;", "&"),
        },
    )

    # then the form opens with their words as the title
    assert signed_in.status_code == 302
    assert signed_in.url == ASK_WITH_WORDS
    form = client.get(signed_in.url).content.decode()
    assert _title_value(form) == "can I drink alcohol with tylenol &amp; ibuprofen?"


def test_signing_up_returns_to_the_ask_form_with_the_words(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    # given a signed-out reader sent to sign in from an Ask link
    login_page = client.get(client.get(ASK_WITH_WORDS).url).content.decode()
    main = login_page.split('<main id="main"', 1)[1]
    (signup_href,) = re.findall(r'href="(/accounts/signup/[^"]*)"', main)
    signup_page = client.get(signup_href.replace("&amp;", "&")).content.decode()
    (next_url,) = re.findall(r'name="next" value="([^"]*)"', signup_page)

    # when they create an account and follow the link in the mail
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/signup/",
            {
                "username": "newasker",
                "email": "new.asker@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "next": next_url.replace("&amp;", "&"),
            },
        )
    verified = client.get(link_in(mailoutbox[0]))

    # then they are signed in and back at the form with their words
    assert get_user(client) == User.objects.get(username="newasker")
    assert verified.status_code == 302
    assert verified.url == ASK_WITH_WORDS
    form = client.get(verified.url).content.decode()
    assert _title_value(form) == "can I drink alcohol with tylenol &amp; ibuprofen?"


def test_a_verification_link_with_an_outside_next_goes_to_settings(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    # given a sign-up that names another site as `next`
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/signup/",
            {
                "username": "newasker",
                "email": "new.asker@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "next": "https://evil.example/",
            },
        )

    # when
    link = link_in(mailoutbox[0])
    verified = client.get(f"{link}?next=https://evil.example/")

    # then the outside address is neither on the link nor followed
    assert "evil" not in link
    assert verified.url == "/accounts/settings/"


# --- topic and question pages ----------------------------------------------------------


def test_a_topic_page_offers_to_ask_about_the_topic(client):
    # given
    topic = TopicFactory(name="Gout", slug="gout")

    # when
    html = client.get(topic.get_absolute_url()).content.decode()

    # then
    assert f'href="{ASK}?topic=gout">Ask about Gout</a>' in html


def test_ask_preselects_the_topic_of_the_link(client, asker):
    # given
    topic = TopicFactory(name="Gout", slug="gout")
    client.force_login(asker)

    # when
    html = client.get(ASK, {"topic": "gout"}).content.decode()

    # then
    assert re.search(rf'<option value="{topic.pk}"[^>]* selected>', html)


@pytest.mark.parametrize("slug", ["no-such-topic", "x" * 5000])
def test_ask_ignores_a_topic_no_one_has(client, asker, slug):
    # given
    TopicFactory(name="Gout", slug="gout")
    client.force_login(asker)

    # when
    response = client.get(ASK, {"topic": slug})

    # then the form opens with nothing chosen
    assert response.status_code == 200
    assert " selected>" not in response.content.decode()


def test_a_question_page_offers_a_different_question(client, open_question):
    # when
    html = client.get(open_question.get_absolute_url()).content.decode()

    # then
    assert f'href="{ASK}">Ask a different question</a>' in html


def test_a_resent_verification_link_still_returns_to_the_ask_form(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    # given: a sign-up from an Ask link whose first mail was lost
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            "/accounts/signup/",
            {
                "username": "newasker",
                "email": "new.asker@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "next": ASK_WITH_WORDS,
            },
        )
    sent_page = client.get(sent.url).content.decode()
    (next_url,) = re.findall(r'name="next" value="([^"]*)"', sent_page)

    # when: they ask for a new link from the page they were sent to
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/verify/resend/",
            {"email": "new.asker@example.org", "next": next_url.replace("&amp;", "&")},
        )
    verified = client.get(link_in(mailoutbox[-1]))

    # then: the new link too brings them back to the form with their words
    assert len(mailoutbox) == 2
    assert verified.status_code == 302
    assert verified.url == ASK_WITH_WORDS
