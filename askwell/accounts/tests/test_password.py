from __future__ import annotations

import pytest
from django.contrib.auth import get_user

from askwell.accounts.tests.factories import PASSWORD, UserFactory
from askwell.accounts.tests.helpers import error_codes, link_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new and long passphrase"


def test_password_reset_by_email_end_to_end(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    # given
    user = UserFactory(username="alice", email="alice@example.org")

    # when
    with django_capture_on_commit_callbacks(execute=True):
        requested = client.post(
            "/accounts/password/reset/", {"email": "ALICE@example.org"}
        )
    link = link_in(mailoutbox[0])
    form_page = client.get(link, follow=True)
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    # then
    assert requested.url == "/accounts/password/reset/sent/"
    assert [m.to for m in mailoutbox] == [["alice@example.org"]]
    assert mailoutbox[0].subject == "Reset your Askwell password"
    assert "Choose a new password" in form_page.content.decode()
    assert done.status_code == 302
    assert done.url == "/accounts/password/reset/done/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(PASSWORD)
    signed_in = client.post(
        "/accounts/login/", {"login": "alice", "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302
    assert get_user(client) == user


def test_password_reset_mail_waits_for_the_commit(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    # given
    UserFactory(email="alice@example.org")

    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post("/accounts/password/reset/", {"email": "alice@example.org"})

    # then
    assert mailoutbox == []
    assert len(callbacks) == 1


def test_password_reset_for_an_unknown_address_looks_the_same(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    # given / when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/password/reset/", {"email": "nobody@example.org"}
        )

    # then
    assert response.status_code == 302
    assert response.url == "/accounts/password/reset/sent/"
    assert mailoutbox == []


def test_a_used_reset_link_no_longer_works(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    # given
    UserFactory(email="alice@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "alice@example.org"})
    link = link_in(mailoutbox[0])
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    # when
    again = client.get(link, follow=True)

    # then
    assert "<h1>This link does not work</h1>" in again.content.decode()


def test_change_password_when_signed_in(client):
    # given
    user = UserFactory()
    client.force_login(user)

    # when
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    # then
    assert response.status_code == 302
    assert response.url == "/accounts/settings/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert get_user(client) == user  # the session survives the change
    assert "Your password was changed." in client.get(response.url).content.decode()


def test_change_password_needs_the_current_one(client):
    # given
    user = UserFactory()
    client.force_login(user)

    # when
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "wrong",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    # then
    assert response.status_code == 200
    assert [
        e.code for e in response.context["form"].errors.as_data()["old_password"]
    ] == ["password_incorrect"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_too_common_new_password_is_refused_under_the_new_password(client):
    """One message, under the new password, not under the field that
    repeats it."""
    # given
    user = UserFactory()
    client.force_login(user)

    # when
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "12345678",
            "new_password2": "12345678",
        },
    )

    # then
    assert response.status_code == 200
    assert error_codes(response.context["form"]) == {
        "new_password1": ["password_too_common"]
    }
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_too_common_reset_password_is_refused_under_the_new_password(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    # given
    user = UserFactory(email="alice@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "alice@example.org"})
    form_page = client.get(link_in(mailoutbox[0]), follow=True)

    # when
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "password123", "new_password2": "password123"},
    )

    # then
    assert response.status_code == 200
    assert error_codes(response.context["form"]) == {
        "new_password1": ["password_too_common"]
    }
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_change_password_needs_a_sign_in(client):
    # given / when
    response = client.get("/accounts/password/")

    # then
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/accounts/password/"
