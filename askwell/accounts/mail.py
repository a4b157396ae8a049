"""Mail from accounts and the apps above: rendered at once, sent by a
background job after the commit.

Rendering inside the request keeps template errors visible in tests; the job
(accounts/tasks.py: send_email) starts only once the change commits, so a
rolled-back change never mails anyone, and a slow or unreachable mail
server holds up a job worker, never a request (the job is retried).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from askwell.accounts.tasks import send_email
from askwell.core.jobs import enqueue_after_commit


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
    enqueue_after_commit(send_email, to, subject, body)
