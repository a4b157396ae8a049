"""Personal API tokens: created and revoked on the account page, shown
once, stored only as a hash, audited, and refused once revoked."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from askwell.accounts.models import ApiToken
from askwell.accounts.tests.factories import PASSWORD, UserFactory
from askwell.accounts.tests.helpers import link_in
from askwell.audit.models import LogEntry
from askwell.moderation.actions import DELETE_CONFIRMATION, delete_account
from askwell.moderation.privacy import collect_user_data

pytestmark = pytest.mark.django_db


def _create(client, name: str = "My reading app"):
    return client.post(reverse("accounts:create_api_token"), {"name": name})


def test_a_token_is_shown_once_and_stored_as_a_hash(client, asker):
    # given
    client.force_login(asker)

    # when
    created = _create(client)
    later = client.get(reverse("accounts:settings"))

    # then
    assert created.status_code == 200
    token = re.search(rb'id="new-api-token">(askw_[\w-]+)<', created.content)[
        1
    ].decode()
    stored = ApiToken.objects.get()
    assert (stored.user, stored.name) == (asker, "My reading app")
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(ApiToken.objects.values().get())
    assert token.encode() not in later.content
    assert stored.prefix.encode() in later.content
    entry = LogEntry.objects.get(action="api_token.created")
    assert (entry.actor, entry.object_id) == (asker, str(stored.pk))
    assert token not in str(entry.data)


def test_a_token_authenticates_until_it_is_revoked(client, call, asker):
    # given
    client.force_login(asker)
    token = re.search(rb'id="new-api-token">(askw_[\w-]+)<', _create(client).content)[
        1
    ].decode()
    stored = ApiToken.objects.get()
    assert (
        call(
            "post", "/questions", token=token, body={"title": "Does rest help a cold?"}
        ).status
        == 201
    )

    # when
    revoked = client.post(
        reverse("accounts:revoke_api_token", kwargs={"pk": stored.pk})
    )
    response = call(
        "post", "/questions", token=token, body={"title": "Does zinc help?"}
    )

    # then
    assert revoked.status_code == 302
    stored.refresh_from_db()
    assert stored.revoked_at is not None
    assert stored.last_used_at is not None
    assert response.status == 401
    assert response.error_code == "invalid_token"
    assert LogEntry.objects.filter(action="api_token.revoked", actor=asker).count() == 1
    assert "revoked" in client.get(reverse("accounts:settings")).content.decode()


def test_nobody_revokes_someone_elses_token(client, asker, token_for):
    token_for(asker)
    client.force_login(UserFactory())

    response = client.post(
        reverse("accounts:revoke_api_token", kwargs={"pk": ApiToken.objects.get().pk})
    )

    assert response.status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_a_token_needs_a_name(client, asker):
    client.force_login(asker)

    response = _create(client, name="   ")

    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_last_used_is_recorded_to_the_minute(call, asker, token_for):
    # given
    token = token_for(asker)
    call("get", "/questions", token=token)
    first = ApiToken.objects.get().last_used_at
    ApiToken.objects.update(last_used_at=first - timedelta(minutes=5))

    # when
    call("get", "/questions", token=token)

    # then
    assert first is not None
    assert ApiToken.objects.get().last_used_at > first - timedelta(minutes=5)


def test_the_personal_data_export_lists_tokens_but_never_a_token(
    call, asker, token_for
):
    token = token_for(asker)

    data = collect_user_data(asker)

    assert [t["name"] for t in data["api_tokens"]] == ["tests"]
    assert data["api_tokens"][0]["starts_with"] == token[:9]
    assert token not in str(data)


def test_deleting_the_account_deletes_its_tokens(call, asker, token_for):
    token = token_for(asker)

    done = delete_account(asker, password=PASSWORD, confirmation=DELETE_CONFIRMATION)

    assert done["api_tokens_deleted"] == 1
    assert not ApiToken.objects.exists()
    assert call("get", "/questions", token=token).status == 401


NEW_PASSWORD = "a brand new and long passphrase"


def _new_password(client, user, way: str, admin_client) -> None:
    """Give `user` a new password the way a person would: change it signed
    in, reset it by email, or have an administrator set it."""
    if way == "change":
        client.force_login(user)
        response = client.post(
            reverse("accounts:password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )
    elif way == "reset":
        client.post(reverse("accounts:password_reset"), {"email": user.email})
        (message,) = mail.outbox
        form_page = client.get(link_in(message), follow=True)
        response = client.post(
            form_page.redirect_chain[-1][0],
            {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
    else:
        response = admin_client.post(
            reverse("admin:auth_user_password_change", args=[user.pk]),
            {
                "usable_password": "true",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
        )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("way", ["change", "reset", "admin"])
def test_a_new_password_revokes_every_token_of_the_account(
    client, admin_client, call, asker, token_for, way
):
    # given: two tokens of the asker's, one of someone else's
    mine = [token_for(asker), token_for(asker)]
    theirs = token_for(UserFactory(username="other"))

    # when
    _new_password(client, asker, way, admin_client)

    # then
    assert [call("get", "/questions", token=t).status for t in mine] == [401, 401]
    assert call("get", "/questions", token=theirs).status == 200
    assert asker.api_tokens.active().count() == 0
    assert list(
        LogEntry.objects.filter(action="api_token.revoked").values_list(
            "data__reason", flat=True
        )
    ) == ["new_password", "new_password"]


def test_the_settings_page_says_a_new_password_revokes_the_tokens(client, asker):
    client.force_login(asker)

    response = client.get(reverse("accounts:settings"))

    assert (
        "Changing or resetting your password revokes all your tokens"
        in response.content.decode()
    )
