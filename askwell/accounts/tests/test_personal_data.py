"""The registry of what each app holds about a person
(askwell/accounts/personal_data.py); what the download and the deletion
contain is tested in moderation/tests/test_privacy.py."""

from __future__ import annotations

import pytest

from askwell.accounts import personal_data
from askwell.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_app_that_holds_personal_data_registers_its_part():
    assert [holder.name for holder in personal_data.holders()] == [
        "experts",
        "questions",
        "notifications",
        "moderation",
    ]


def test_a_section_exported_twice_is_refused(monkeypatch):
    # given: a second part that exports a section moderation already does
    monkeypatch.setattr(personal_data, "_holders", dict(personal_data._holders))
    personal_data.register(
        "copycat", export=lambda user: {"flags": []}, erase=lambda user: {}
    )

    # when / then
    with pytest.raises(ValueError, match=r"copycat exports \['flags'\] again"):
        personal_data.export(UserFactory())
