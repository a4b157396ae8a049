"""The notification settings page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from askwell.notifications.models import Preference
from askwell.notifications.tests.factories import PreferenceFactory

pytestmark = pytest.mark.django_db

PREFERENCES = reverse("notifications:preferences")


def _all_on(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        name: "on" for name in Preference.field_names() if name != "email_frequency"
    }
    data["email_frequency"] = "immediately"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_page_shows_the_defaults_without_creating_a_row(client, reader):
    # given
    client.force_login(reader)
    # when
    html = client.get(PREFERENCES).content.decode()
    # then
    # Five kinds on the site and by email, review decisions on the site
    # only (the review app mails them), and the "immediately" radio.
    assert html.count('type="checkbox"') == 11
    assert html.count(" checked") == 12
    assert 'aria-label="New comments, by email"' in html
    assert 'value="immediately" id="id_email_frequency_0" required checked' in html
    assert not Preference.objects.exists()


def test_saving_switches_kinds_off_and_sets_the_frequency(client, reader):
    # given
    client.force_login(reader)
    # when
    response = client.post(
        PREFERENCES,
        _all_on(
            comment_posted_email=None,
            answer_posted_in_app=None,
            email_frequency="daily",
        ),
        follow=True,
    )
    # then
    assert response.redirect_chain == [(PREFERENCES, 302)]
    assert "Your notification settings are saved." in response.content.decode()
    preference = Preference.objects.get(user=reader)
    assert preference.comment_posted_email is False
    assert preference.answer_posted_in_app is False
    assert preference.comment_posted_in_app is True
    assert preference.email_frequency == "daily"


def test_the_page_shows_saved_choices(client, reader):
    # given
    PreferenceFactory(user=reader, answer_posted_email=False, email_frequency="never")
    client.force_login(reader)
    # when
    html = client.get(PREFERENCES).content.decode()
    # then
    # Eleven checkboxes, one of them off, and the "never" radio.
    assert html.count(" checked") == 11
    assert 'value="never" id="id_email_frequency_2" required checked' in html


def test_an_unknown_frequency_is_refused_and_nothing_saved(client, reader):
    # given
    client.force_login(reader)
    # when
    response = client.post(PREFERENCES, _all_on(email_frequency="hourly"))
    # then
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not Preference.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, settings):
    settings.LOGIN_URL = "/accounts/login/"

    response = client.post(PREFERENCES, _all_on())

    assert response["Location"] == "/accounts/login/?next=/notifications/preferences/"
    assert not Preference.objects.exists()
