from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.http.response import HttpResponseBase
from django.template import loader
from django.views.static import serve

from askwell.core.context_processors import site


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, rendered without the request context that may be what failed."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render(site()))


def media(request: HttpRequest, path: str) -> HttpResponseBase:
    """Uploaded photos and covers, read from MEDIA_ROOT as it is at request time."""
    return serve(request, path, document_root=str(settings.MEDIA_ROOT))
