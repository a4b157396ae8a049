"""A view that returns the question page's saved HTML: no database, no template."""

from __future__ import annotations

import os
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.urls import path

PAGE = Path(os.environ["ASKWELL_CEILING_PAGE"]).read_bytes()


def page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(PAGE, content_type="text/html; charset=utf-8")


urlpatterns = [path("", page), path("healthz", page)]
