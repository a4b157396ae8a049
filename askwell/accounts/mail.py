"""Mail from accounts and experts: rendered at once, sent after the commit.

Rendering inside the request keeps template errors visible in tests; sending
after the commit means a rolled-back change never mails anyone, and a slow
mail server never holds a database transaction open.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string


def absolute(base_url: str, path: str) -> str:
    """`path` on the site at `base_url` ("https://askwell.example/")."""
    return base_url.rstrip("/") + path


def send_after_commit(to: str, template: str, context: dict[str, Any]) -> None:
    """Mail `<template>_subject.txt` and `<template>.txt` to `to` once the
    surrounding transaction commits (at once outside a transaction).

    Accounts without an address (made by `createsuperuser`) get nothing.
    """
    if not to:
        return
    context = {"site_name": settings.ASKWELL_SITE_NAME, **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}.txt", context)
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    )
