from __future__ import annotations

import pytest
from django.contrib.auth import get_user

from askwell.accounts.forms import INVALID_LOGIN
from askwell.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _login(client, login, password=PASSWORD, **extra):
    return client.post(
        "/accounts/login/", {"login": login, "password": password, **extra}
    )


@pytest.mark.parametrize("login", ["alice", "alice@example.org", "Alice@Example.ORG"])
def test_sign_in_by_username_or_email(client, login):
    # given
    alice = UserFactory(username="alice", email="alice@example.org")

    # when
    response = _login(client, login)

    # then
    assert response.status_code == 302
    assert response.url == "/"
    assert get_user(client) == alice


def test_unknown_account_and_wrong_password_get_the_same_message(client):
    # given
    UserFactory(username="alice", email="alice@example.org")

    # when
    unknown = _login(client, "nobody")
    unknown_email = _login(client, "nobody@example.org")
    wrong = _login(client, "alice", password="not the password")

    # then
    messages = [
        r.context["form"].non_field_errors() for r in (unknown, unknown_email, wrong)
    ]
    assert messages == [[INVALID_LOGIN]] * 3
    for response in (unknown, unknown_email, wrong):
        assert response.status_code == 200
        assert INVALID_LOGIN in response.content.decode()
        assert 'role="alert"' in response.content.decode()
    assert not get_user(client).is_authenticated


def test_without_keep_me_signed_in_the_session_ends_with_the_browser(client):
    # given
    UserFactory(username="alice")

    # when
    _login(client, "alice")

    # then
    assert client.session.get_expire_at_browser_close() is True


def test_keep_me_signed_in_lasts_the_configured_age(client, settings):
    # given
    settings.SESSION_COOKIE_AGE = 7 * 24 * 3600
    UserFactory(username="alice")

    # when
    _login(client, "alice", remember="on")

    # then
    assert client.session.get_expire_at_browser_close() is False
    assert client.session.get_expiry_age() == 7 * 24 * 3600


def test_unverified_account_with_the_right_password_is_offered_a_new_link(client):
    # given
    UserFactory(username="waiting", email="waiting@example.org", is_active=False)

    # when
    response = _login(client, "waiting")

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Verify your email address first</h1>" in html
    assert 'action="/accounts/verify/resend/"' in html
    assert 'value="waiting@example.org"' in html
    assert not get_user(client).is_authenticated


def test_unverified_account_with_a_wrong_password_learns_nothing(client):
    # given
    UserFactory(username="waiting", is_active=False)

    # when
    response = _login(client, "waiting", password="guess")

    # then
    assert response.context["form"].non_field_errors() == [INVALID_LOGIN]
    assert "Verify your email" not in response.content.decode()


def test_a_deactivated_account_gets_the_plain_failure(client):
    # given
    user = UserFactory(username="suspended")
    client.force_login(user)
    client.logout()
    user.is_active = False
    user.save(update_fields=["is_active"])

    # when
    response = _login(client, "suspended")

    # then
    assert response.context["form"].non_field_errors() == [INVALID_LOGIN]


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/questions/", "/questions/"),
        ("https://evil.example.com/", "/"),
        ("//evil.example.com/", "/"),
    ],
)
def test_sign_in_returns_only_to_pages_of_this_site(client, next_url, expected):
    # given
    UserFactory(username="alice")

    # when
    response = _login(client, "alice", next=next_url)

    # then
    assert response.url == expected


def test_the_sign_in_page_is_accessible(client):
    # given / when
    html = client.get("/accounts/login/?next=/questions/").content.decode()

    # then
    assert '<label for="id_login">Username or email address</label>' in html
    assert '<label for="id_password">Password</label>' in html
    assert '<label for="id_remember">Keep me signed in</label>' in html
    assert 'aria-describedby="id_remember_helptext"' in html
    assert 'name="next" value="/questions/"' in html


def test_sign_out_takes_a_post(client):
    # given
    user = UserFactory()
    client.force_login(user)

    # when
    asked = client.get("/accounts/logout/")

    # then
    assert asked.status_code == 200
    assert get_user(client) == user

    # when
    response = client.post("/accounts/logout/")

    # then
    assert response.status_code == 302
    assert response.url == "/"
    assert not get_user(client).is_authenticated


def test_the_header_shows_the_account_or_the_sign_in_links(client):
    # given
    user = UserFactory(username="alice")

    # when
    anonymous = client.get("/accounts/signup/").content.decode()
    client.force_login(user)
    signed_in = client.get("/accounts/settings/").content.decode()

    # then
    assert 'href="/accounts/login/?next=/accounts/signup/"' in anonymous
    assert 'href="/accounts/signup/"' in anonymous
    assert 'href="/accounts/settings/" aria-current="page"' in signed_in
    assert 'action="/accounts/logout/"' in signed_in
