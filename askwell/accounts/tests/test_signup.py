from __future__ import annotations

import pytest
from django.contrib.auth import get_user
from django.db import IntegrityError
from django.test import Client

from askwell.accounts import tokens
from askwell.accounts.models import User
from askwell.accounts.tests.factories import PASSWORD, UserFactory
from askwell.accounts.tests.helpers import error_codes, link_in, signed_days_ago

pytestmark = pytest.mark.django_db


def _signup(client, **fields):
    data = {
        "username": "newreader",
        "email": "New.Reader@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
    } | fields
    return client.post("/accounts/signup/", data)


def test_signup_creates_an_inactive_account_and_mails_a_link(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    # given / when
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client)

    # then
    assert response.status_code == 302
    assert response.url == "/accounts/verify/sent/"
    user = User.objects.get(username="newreader")
    assert user.is_active is False
    assert user.email == "New.Reader@example.org"
    assert user.check_password(PASSWORD)
    assert user.password.startswith("argon2")
    assert [m.to for m in mailoutbox] == [["New.Reader@example.org"]]
    assert mailoutbox[0].subject == "Confirm your email address for Askwell"
    assert link_in(mailoutbox[0]).startswith("/accounts/verify/")
    assert not get_user(client).is_authenticated


def test_signup_mail_waits_for_the_commit(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    # given / when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _signup(client)

    # then: nothing sent until the commit; the commit sends the one mail
    assert mailoutbox == []
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1


def test_following_the_link_activates_and_signs_in(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    # given
    with django_capture_on_commit_callbacks(execute=True):
        _signup(client)

    # when
    response = client.get(link_in(mailoutbox[0]))

    # then
    assert response.status_code == 302
    assert response.url == "/accounts/settings/"
    user = User.objects.get(username="newreader")
    assert user.is_active is True
    assert get_user(client) == user
    page = client.get(response.url).content.decode()
    assert "Your email address is verified." in page


def test_a_link_works_only_once(client, mailoutbox, django_capture_on_commit_callbacks):
    # given
    with django_capture_on_commit_callbacks(execute=True):
        _signup(client)
    link = link_in(mailoutbox[0])
    client.get(link)
    client.logout()

    # when
    response = client.get(link)

    # then
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    assert not get_user(client).is_authenticated


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(
            lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
            id="signature",
        ),
        pytest.param(lambda token: "x" + token, id="payload"),
        pytest.param(lambda token: "not-a-token", id="garbage"),
    ],
)
def test_tampered_link_shows_a_resend_form_and_activates_nothing(client, tamper):
    # given
    user = UserFactory(is_active=False)
    token = tokens.make_token(user, tokens.VERIFY_EMAIL)

    # when
    response = client.get(f"/accounts/verify/{tamper(token)}/")

    # then
    html = response.content.decode()
    assert response.status_code == 400
    assert "<h1>This link does not work</h1>" in html
    assert 'action="/accounts/verify/resend/"' in html
    assert "Send a new link" in html
    user.refresh_from_db()
    assert user.is_active is False
    assert not get_user(client).is_authenticated


def test_expired_link_says_so_and_activates_nothing(client):
    # given
    user = UserFactory(is_active=False)
    with signed_days_ago(4):
        token = tokens.make_token(user, tokens.VERIFY_EMAIL)

    # when
    response = client.get(f"/accounts/verify/{token}/")

    # then
    html = response.content.decode()
    assert response.status_code == 400
    assert "<h1>This link has expired</h1>" in html
    assert 'action="/accounts/verify/resend/"' in html
    user.refresh_from_db()
    assert user.is_active is False


def test_link_still_works_shortly_before_expiry(client):
    # given
    user = UserFactory(is_active=False)
    with signed_days_ago(2.9):
        token = tokens.make_token(user, tokens.VERIFY_EMAIL)

    # when
    response = client.get(f"/accounts/verify/{token}/")

    # then
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_active is True


def test_link_for_another_purpose_is_refused(client):
    # given
    user = UserFactory(is_active=False)
    token = tokens.make_token(user, tokens.CHANGE_EMAIL, payload=user.email)

    # when
    response = client.get(f"/accounts/verify/{token}/")

    # then
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.is_active is False


def test_a_deactivated_account_cannot_reactivate_itself(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    """An editor's suspension survives old links and resend requests."""
    # given
    user = UserFactory(is_active=False)
    token = tokens.make_token(user, tokens.VERIFY_EMAIL)
    client.get(f"/accounts/verify/{token}/")
    client.logout()
    user.refresh_from_db()
    user.is_active = False
    user.save(update_fields=["is_active"])

    # when
    with django_capture_on_commit_callbacks(execute=True):
        reused = client.get(f"/accounts/verify/{token}/")
        client.post("/accounts/verify/resend/", {"email": user.email})

    # then
    assert reused.status_code == 400
    user.refresh_from_db()
    assert user.is_active is False
    assert mailoutbox == []


@pytest.mark.parametrize("email", ["taken@example.org", "TAKEN@Example.org"])
def test_an_address_in_use_gets_the_answer_a_new_one_gets(
    client, mailoutbox, django_capture_on_commit_callbacks, email
):
    """Nobody learns from sign-up who has an account: the owner of the
    address is told by email instead."""
    # given
    UserFactory(username="owner", email="Taken@example.org")

    # when
    with django_capture_on_commit_callbacks(execute=True):
        in_use = _signup(client, email=email)
    with django_capture_on_commit_callbacks(execute=True):
        new = _signup(Client(), username="other", email="fresh@example.org")

    # then
    assert [in_use.status_code, in_use.url] == [302, "/accounts/verify/sent/"]
    assert [new.status_code, new.url] == [302, "/accounts/verify/sent/"]
    assert not User.objects.filter(username="newreader").exists()
    assert [m.to for m in mailoutbox] == [["Taken@example.org"], ["fresh@example.org"]]
    attempt = mailoutbox[0]
    assert attempt.subject == (
        "Someone tried to sign up to Askwell with your email address"
    )
    assert "no new account was opened" in attempt.body
    assert "http://testserver/accounts/login/" in attempt.body
    assert "http://testserver/accounts/password/reset/" in attempt.body


def test_a_taken_username_is_still_refused(client, mailoutbox):
    # given: usernames are public anyway
    UserFactory(username="newreader")

    # when
    response = _signup(client)

    # then
    assert response.status_code == 200
    assert response.context["form"].errors["username"] == [
        "A user with that username already exists."
    ]
    assert mailoutbox == []


def test_the_database_refuses_a_second_account_with_the_same_address():
    # given
    UserFactory(email="Same@example.org")

    # when / then
    with pytest.raises(IntegrityError):
        UserFactory(email="same@EXAMPLE.org")


def test_many_accounts_may_have_no_address():
    # given / when
    UserFactory(email="")
    UserFactory(email="")

    # then
    assert User.objects.filter(email="").count() == 2


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        (
            {"password1": "short", "password2": "short"},
            "password1",
            "password_too_short",
        ),
        (
            {"password1": "password123", "password2": "password123"},
            "password1",
            "password_too_common",
        ),
        # Too common and all digits: one message, the first rule broken.
        (
            {"password1": "12345678", "password2": "12345678"},
            "password1",
            "password_too_common",
        ),
        ({"password2": "something else entirely"}, "password2", "password_mismatch"),
        ({"username": "Reader0"}, "username", "unique"),
        ({"email": "not an address"}, "email", "invalid"),
    ],
)
def test_signup_validates_with_clear_messages(client, mailoutbox, fields, field, code):
    """One message, under the field at fault: what the password rules say
    sits under the password, not under the field that repeats it."""
    # given
    UserFactory(username="reader0")

    # when
    response = _signup(client, **fields)

    # then
    form = response.context["form"]
    assert response.status_code == 200
    assert error_codes(form) == {field: [code]}
    assert not User.objects.filter(username="newreader").exists()
    assert mailoutbox == []


def test_resend_mails_an_unverified_account_a_working_link(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    # given
    user = UserFactory(is_active=False, email="waiting@example.org")

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/verify/resend/", {"email": "WAITING@example.org"}
        )

    # then
    assert response.status_code == 302
    assert response.url == "/accounts/verify/sent/"
    assert [m.to for m in mailoutbox] == [["waiting@example.org"]]
    client.get(link_in(mailoutbox[0]))
    user.refresh_from_db()
    assert user.is_active is True


@pytest.mark.parametrize("active", [True, None], ids=["verified account", "no account"])
def test_resend_says_the_same_and_mails_nothing_otherwise(
    client, mailoutbox, django_capture_on_commit_callbacks, active
):
    # given
    if active:
        UserFactory(email="someone@example.org")

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/verify/resend/", {"email": "someone@example.org"}
        )

    # then
    assert response.status_code == 302
    assert response.url == "/accounts/verify/sent/"
    assert mailoutbox == []


def test_signed_in_readers_go_to_their_settings_from_signup(client):
    # given
    client.force_login(UserFactory())

    # when
    response = client.get("/accounts/signup/")

    # then
    assert response.status_code == 302
    assert response.url == "/accounts/settings/"
