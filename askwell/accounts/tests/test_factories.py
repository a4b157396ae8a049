from __future__ import annotations

import pytest
from django.contrib.auth import authenticate

from askwell.accounts import roles
from askwell.accounts.tests.factories import PASSWORD, EditorFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_user_factory_makes_an_active_reader_who_can_sign_in():
    # given
    user = UserFactory()

    # when
    signed_in = authenticate(username=user.username, password=PASSWORD)

    # then
    assert signed_in == user
    assert roles.is_reader(user)
    assert not roles.is_editor(user)


def test_editor_factory_shares_one_editors_group():
    # given / when
    first, second = EditorFactory(), EditorFactory()

    # then
    assert roles.is_editor(first)
    assert roles.is_editor(second)
    assert list(first.groups.values_list("name", flat=True)) == [roles.EDITORS]
    assert first.groups.get() == second.groups.get()
