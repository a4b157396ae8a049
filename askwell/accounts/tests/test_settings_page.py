from __future__ import annotations

import pytest

from askwell.accounts.tests.factories import EditorFactory, UserFactory
from askwell.experts.tests.factories import (
    ContributorFactory,
    MembershipFactory,
    OrganizationFactory,
)

pytestmark = pytest.mark.django_db


def test_settings_needs_a_sign_in(client):
    # given / when
    response = client.get("/accounts/settings/")

    # then
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/accounts/settings/"


def test_settings_links_to_every_account_task(client):
    # given
    user = UserFactory(username="alice", email="alice@example.org")
    client.force_login(user)

    # when
    html = client.get("/accounts/settings/").content.decode()

    # then
    assert "alice@example.org" in html
    assert 'href="/accounts/email/"' in html
    assert 'href="/accounts/password/"' in html
    assert 'href="/experts/apply/"' in html
    assert "Apply to become a verified expert" in html
    assert 'href="/experts/applications/"' not in html


def test_settings_shows_verification_organizations_and_the_editor_queue(client):
    # given
    editor = EditorFactory()
    ContributorFactory(user=editor, name="Ann Lee", credentials="MD")
    org = OrganizationFactory(name="Heart Society", slug="heart-society")
    MembershipFactory(organization=org, user=editor)
    client.force_login(editor)

    # when
    html = client.get("/accounts/settings/").content.decode()

    # then
    assert "Ann Lee, MD" in html
    assert "Verified on" in html
    assert 'href="/contributors/heart-society/members/"' in html
    assert 'href="/experts/applications/"' in html
