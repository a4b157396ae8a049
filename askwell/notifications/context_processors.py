from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from askwell.accounts.roles import is_reader
from askwell.notifications.models import Notification


def unread(request: HttpRequest) -> dict[str, object]:
    """`unread_notifications`: the signed-in reader's unread count for the header.

    Lazy, so a page or fragment that does not show the badge costs no query;
    signed-out visitors never cost one.
    """
    user = request.user
    if not is_reader(user):
        return {}
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: Notification.objects.inbox(user).unread().count()
        )
    }
