from __future__ import annotations

import pytest

from askwell.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/accounts/signup/", "Create your account"),
        ("/accounts/login/", "Sign in"),
        ("/accounts/logout/", "Sign out"),
        ("/accounts/verify/sent/", "Check your email"),
        ("/accounts/verify/resend/", "Send a new verification link"),
        ("/accounts/password/reset/", "Reset your password"),
        ("/accounts/password/reset/sent/", "Check your email"),
        ("/accounts/password/reset/done/", "Your password is changed"),
    ],
)
def test_public_account_pages_render(client, url, heading):
    # given / when
    response = client.get(url)

    # then
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in response.content.decode()


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/accounts/settings/", "Your account"),
        ("/accounts/email/", "Change your email address"),
        ("/accounts/password/", "Change your password"),
        ("/experts/apply/", "Become a verified expert"),
    ],
)
def test_signed_in_pages_render_and_need_a_sign_in(client, url, heading):
    # given
    anonymous = client.get(url)
    client.force_login(UserFactory())

    # when
    response = client.get(url)

    # then
    assert anonymous.status_code == 302
    assert anonymous.url.startswith("/accounts/login/?next=")
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in response.content.decode()


def test_every_field_has_a_label(client):
    # given / when
    html = client.get("/accounts/signup/").content.decode()

    # then
    for name in ("username", "email", "password1", "password2"):
        assert f'<label for="id_{name}">' in html
        assert f'id="id_{name}"' in html
    assert "<table" not in html
