"""Accounts' background jobs: sending mail (askwell/accounts/mail.py queues it)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_email(to: str, subject: str, body: str, html_body: str = "") -> None:
    """Send one message, as rendered when it was queued. A mail server that
    refuses or does not answer (EMAIL_TIMEOUT) fails the job, which runs
    again later."""
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send()
