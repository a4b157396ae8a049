"""The admin signs in through the site's sign-in page, and so under its
rate limit: /admin/login/ checks no password itself."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user

from askwell.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def test_the_admin_sends_visitors_to_the_sites_sign_in(client):
    # when
    response = client.get("/admin/", follow=True)

    # then
    assert response.redirect_chain == [
        ("/admin/login/?next=/admin/", 302),
        ("/accounts/login/?next=/admin/", 302),
    ]
    assert response.templates[0].name == "accounts/login.html"


def test_the_admins_login_address_checks_no_password(client, root):
    # when: the right password, posted to the admin's login
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "root", "password": PASSWORD}
    )

    # then
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"
    assert not get_user(client).is_authenticated


def test_signing_in_on_the_site_leads_back_to_the_admin(client, root):
    # when
    response = client.post(
        "/accounts/login/",
        {"login": "root", "password": PASSWORD, "next": "/admin/"},
        follow=True,
    )

    # then
    assert response.redirect_chain == [("/admin/", 302)]
    assert response.status_code == 200
    assert get_user(client) == root


def test_an_account_without_admin_rights_is_told_so(client):
    # given
    client.force_login(UserFactory(username="reader"))

    # when
    response = client.get("/admin/", follow=True)

    # then
    assert response.redirect_chain[-1] == ("/accounts/login/?next=/admin/", 302)
    assert "This account may not use the admin." in response.content.decode()
