from __future__ import annotations

from urllib.parse import quote

import pytest

from askwell.accounts import tokens
from askwell.accounts.tests.factories import PASSWORD, UserFactory
from askwell.accounts.tests.helpers import link_in, signed_days_ago

pytestmark = pytest.mark.django_db


def _request_change(client, new_email, password=PASSWORD):
    return client.post(
        "/accounts/email/", {"new_email": new_email, "password": password}
    )


def test_email_change_end_to_end(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    # given
    user = UserFactory(email="old@example.org")
    client.force_login(user)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        requested = _request_change(client, "new@example.org")
    user.refresh_from_db()
    unchanged_meanwhile = user.email
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.get(link_in(mailoutbox[0]))

    # then
    assert requested.status_code == 302
    assert unchanged_meanwhile == "old@example.org"
    assert confirmed.status_code == 302
    assert confirmed.url == "/accounts/settings/"
    user.refresh_from_db()
    assert user.email == "new@example.org"
    assert [m.to for m in mailoutbox] == [["new@example.org"], ["old@example.org"]]
    assert mailoutbox[0].subject == "Confirm your new email address for Askwell"
    assert mailoutbox[1].subject == "Your Askwell email address was changed"
    assert "from old@example.org to new@example.org" in mailoutbox[1].body
    assert (
        "Your email address is now new@example.org."
        in client.get("/accounts/settings/").content.decode()
    )


def test_the_confirmation_link_works_once(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    # given
    user = UserFactory(email="old@example.org")
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        _request_change(client, "new@example.org")
    link = link_in(mailoutbox[0])
    client.get(link)

    # when
    again = client.get(link)

    # then
    assert again.status_code == 400
    assert "Your email address was not changed" in again.content.decode()


@pytest.mark.parametrize(
    ("new_email", "password", "field", "code"),
    [
        ("OLD@example.org", PASSWORD, "new_email", "unchanged"),
        ("new@example.org", "wrong password", "password", "password_incorrect"),
    ],
)
def test_email_change_request_is_validated(
    client,
    mailoutbox,
    django_capture_on_commit_callbacks,
    new_email,
    password,
    field,
    code,
):
    # given
    UserFactory(email="taken@example.org")
    user = UserFactory(email="old@example.org")
    client.force_login(user)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = _request_change(client, new_email, password)

    # then
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()[field]] == [code]
    assert mailoutbox == []
    user.refresh_from_db()
    assert user.email == "old@example.org"


def test_an_address_another_account_has_gets_the_usual_answer(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    """The form does not tell who has an account: it answers as if the link
    went out, and the address's owner is told that nothing changed."""
    # given
    UserFactory(username="owner", email="taken@example.org")
    user = UserFactory(email="old@example.org")
    client.force_login(user)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = _request_change(client, "Taken@Example.org")

    # then
    assert [response.status_code, response.url] == [302, "/accounts/settings/"]
    assert (
        "We sent a link to Taken@Example.org. Your address changes when you follow it."
        in client.get(response.url).content.decode()
    )
    assert [m.to for m in mailoutbox] == [["taken@example.org"]]
    assert mailoutbox[0].subject == "Someone asked to use your email address on Askwell"
    assert "http" not in mailoutbox[0].body
    user.refresh_from_db()
    assert user.email == "old@example.org"


def test_a_link_for_another_account_changes_nothing(client, mailoutbox):
    # given
    owner = UserFactory(email="owner@example.org")
    token = tokens.make_token(owner, tokens.CHANGE_EMAIL, payload="new@example.org")
    intruder = UserFactory(email="intruder@example.org")
    client.force_login(intruder)

    # when
    response = client.get(f"/accounts/email/confirm/{token}/")

    # then
    assert response.status_code == 400
    owner.refresh_from_db()
    intruder.refresh_from_db()
    assert owner.email == "owner@example.org"
    assert intruder.email == "intruder@example.org"
    assert mailoutbox == []


def test_an_expired_link_changes_nothing(client, mailoutbox):
    # given
    user = UserFactory(email="old@example.org")
    with signed_days_ago(3):
        token = tokens.make_token(user, tokens.CHANGE_EMAIL, payload="new@example.org")
    client.force_login(user)

    # when
    response = client.get(f"/accounts/email/confirm/{token}/")

    # then
    assert response.status_code == 400
    assert "This link has expired" in response.content.decode()
    user.refresh_from_db()
    assert user.email == "old@example.org"
    assert mailoutbox == []


def test_an_address_taken_since_the_request_is_refused(client, mailoutbox):
    # given
    user = UserFactory(email="old@example.org")
    token = tokens.make_token(user, tokens.CHANGE_EMAIL, payload="new@example.org")
    UserFactory(email="NEW@example.org")
    client.force_login(user)

    # when
    response = client.get(f"/accounts/email/confirm/{token}/")

    # then
    assert response.status_code == 400
    assert "Another account started using that address" in response.content.decode()
    user.refresh_from_db()
    assert user.email == "old@example.org"
    assert mailoutbox == []


def test_the_confirmation_link_asks_to_sign_in_first_then_works(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    # given
    user = UserFactory(username="alice", email="old@example.org")
    token = tokens.make_token(user, tokens.CHANGE_EMAIL, payload="new@example.org")
    link = f"/accounts/email/confirm/{token}/"

    # when
    asked = client.get(link)
    signed_in = client.post(
        "/accounts/login/", {"login": "alice", "password": PASSWORD, "next": link}
    )
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.get(signed_in.url)

    # then
    assert asked.status_code == 302
    assert asked.url == f"/accounts/login/?next={quote(link)}"
    assert signed_in.url == link
    assert confirmed.status_code == 302
    user.refresh_from_db()
    assert user.email == "new@example.org"
    assert [m.to for m in mailoutbox] == [["old@example.org"]]
