"""The demo accounts come with open reports, so the flag queue has work."""

from __future__ import annotations

import pytest

from askwell.demo.accounts import ensure_demo_accounts
from askwell.demo.loader import load_demo_content
from askwell.moderation.models import Flag

pytestmark = pytest.mark.django_db


def test_the_demo_has_open_flags_once_and_only_once():
    # given
    load_demo_content()

    # when
    ensure_demo_accounts()
    ensure_demo_accounts()

    # then
    flags = Flag.objects.open().with_targets().order_by("pk")
    assert [
        (f.reporter.username, f.reason, f.answer.contributor.slug) for f in flags
    ] == [
        ("reader", "harmful", "northfield-ms-society"),
        ("nursedelgado", "other", "lena-fischer"),
    ]
