"""Preferences: defaults without a row, the row made on first change."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from askwell.notifications import actions
from askwell.notifications.models import IN_APP_ONLY, Kind, Preference
from askwell.notifications.tests.factories import PreferenceFactory

pytestmark = pytest.mark.django_db


def test_a_reader_without_a_row_has_every_kind_on_and_email_immediately(reader):
    # when
    preference = Preference.for_user(reader)
    # then
    assert preference.pk is None
    assert all(preference.wants_in_app(kind) for kind in Kind.values)
    assert all(
        preference.wants_email(kind) for kind in Kind.values if kind not in IN_APP_ONLY
    )
    assert preference.email_frequency == Preference.EmailFrequency.IMMEDIATELY


def test_kinds_their_sender_mails_are_never_emailed_and_have_no_email_choice(
    reader,
):
    # when
    preference = Preference.for_user(reader)
    # then
    assert list(IN_APP_ONLY) == [Kind.REVIEW_DECISION]
    assert preference.wants_email(Kind.REVIEW_DECISION) is False
    assert "review_decision_in_app" in Preference.field_names()
    assert "review_decision_email" not in Preference.field_names()
    with pytest.raises(TypeError, match="Unknown preferences: review_decision_email"):
        actions.update_preferences(reader, review_decision_email=True)


def test_update_preferences_creates_the_row_with_the_changes(reader):
    # when
    actions.update_preferences(
        reader, comment_posted_email=False, email_frequency="daily"
    )
    # then
    preference = Preference.objects.get(user=reader)
    assert preference.comment_posted_email is False
    assert preference.comment_posted_in_app is True
    assert preference.email_frequency == Preference.EmailFrequency.DAILY
    assert preference.email_kinds() == [
        "answer_posted",
        "question_in_followed_topic",
        "followed_question_changed",
        "answer_edited",
    ]


def test_update_preferences_changes_only_what_is_given(reader):
    # given
    PreferenceFactory(user=reader, answer_posted_in_app=False)
    # when
    actions.update_preferences(reader, answer_posted_email=False)
    # then
    preference = Preference.objects.get(user=reader)
    assert preference.answer_posted_in_app is False
    assert preference.answer_posted_email is False
    assert preference.followed_question_changed_in_app is True


def test_email_frequency_never_switches_off_every_email(reader):
    # when
    preference = actions.update_preferences(reader, email_frequency="never")
    # then
    assert preference.email_kinds() == []
    assert all(preference.wants_in_app(kind) for kind in Kind.values)


def test_an_unknown_frequency_is_rejected_and_nothing_saved(reader):
    # when
    with pytest.raises(ValidationError) as error:
        actions.update_preferences(reader, email_frequency="hourly")
    # then
    assert error.value.code == "invalid_frequency"
    assert not Preference.objects.exists()


def test_an_unknown_preference_is_a_programming_error(reader):
    with pytest.raises(TypeError, match="Unknown preferences: email_everyone"):
        actions.update_preferences(reader, email_everyone=True)
    assert not Preference.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "inactive"])
def test_update_preferences_needs_a_reader(who, inactive_user):
    # given
    user = AnonymousUser() if who == "anonymous" else inactive_user
    # when
    with pytest.raises(PermissionDenied):
        actions.update_preferences(user, answer_posted_email=False)
    # then
    assert not Preference.objects.exists()
