"""What a view's request carries beyond Django's HttpRequest, for the type
checker (annotations only: Django still passes its own HttpRequest).

`HtmxRequest`: django-htmx's middleware (settings.MIDDLEWARE) sets
`request.htmx` on every request.

`SignedInRequest`: behind `@login_required` (and the API's WRITE_AUTH),
`request.user` is a User, never AnonymousUser, which Django's types cannot
know. Such a view annotates its request so (django-stubs' documented way)
instead of asserting or ignoring the type.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from askwell.accounts.models import User


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails


class SignedInRequest(HtmxRequest):
    user: User
