"""Small helpers shared by the accounts and experts tests."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core import signing
from django.core.mail import EmailMessage
from django.forms import BaseForm

LINK = re.compile(r"https?://testserver(/\S+)")


def link_in(message: EmailMessage) -> str:
    """The one site path an email links to."""
    (path,) = LINK.findall(message.body)
    return path


def error_codes(form: BaseForm) -> dict[str, list[str]]:
    """Each field's error codes, by field: which field says what."""
    return {
        name: [error.code or "" for error in errors]
        for name, errors in form.errors.as_data().items()
    }


@contextmanager
def signed_days_ago(days: float) -> Iterator[None]:
    """Tokens made inside carry a timestamp `days` in the past."""
    past = time.time() - days * 24 * 3600
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: past)
        yield
